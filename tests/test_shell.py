"""`flask shell` starts with db and the models at hand."""

from sqlalchemy import select

from tests.factories import CompetitionFactory


def test_the_shell_has_db_and_every_model(app, db):
    names = app.make_shell_context()
    assert names["db"] is db
    assert {
        "Competition",
        "Project",
        "Participant",
        "School",
        "Judge",
        "Jury",
        "User",
        "Criterion",
        "Score",
        "SpecialPrize",
        "AuditEntry",
    } <= names.keys()
    mapped = {m.class_ for m in db.Model.registry.mappers}
    assert mapped <= set(names.values()), "every model is there, none left out"


def test_the_models_in_the_shell_query_the_database(app, db):
    CompetitionFactory(name="Regionalwettbewerb Ostsachsen")
    db.session.commit()
    names = app.make_shell_context()
    found = names["db"].session.scalars(select(names["Competition"].name)).all()
    assert found == ["Regionalwettbewerb Ostsachsen"]
