"""Every PDF of compmgr: one font family, one builder contract, one module per document.

A builder is fed plain data built by the feature that owns it and knows nothing of models or
the database: ``Builder(data).build()`` returns the PDF as bytes, ``Builder(data).write(out)``
writes it to a binary file and returns the page count (see ``base.PdfBuilder``).
The modules on platypus (``story``, ``sheets``, ``timetable``, ``subject_access``) are
imported where a document is printed, so that starting the app does not load platypus.
"""
