"""Every PDF of compmgr: one font family, one builder contract, one module per document.

A builder is fed plain data built by the feature that owns it and knows nothing of models or
the database: ``Builder(data).build()`` returns the PDF as bytes, ``Builder(data).write(out)``
writes it to a binary file and returns the page count (see ``base.PdfBuilder``).
Every module here but ``placeholders`` brings ReportLab: each is imported where its document
is made, so that starting the app loads no ReportLab (tests/test_app.py checks).
"""
