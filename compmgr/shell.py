"""Give `flask shell` the database and every model, without imports typed by hand."""

from compmgr.extensions import db


def shell_context():
    """Return db and each mapped model class by its name, e.g. Project, Judge, Jury."""
    models = {mapper.class_.__name__: mapper.class_ for mapper in db.Model.registry.mappers}
    return {"db": db, **models}
