"""gunicorn settings of `make serve`: threads, so that a few slow clients cannot stall the app.

Used as ``gunicorn -c python:compmgr.gunicorn_conf wsgi:app``; options on the command line
(``-w 8``, ``--threads 16``) win over these. README "Production" explains the choice.

With gunicorn's sync workers every connection holds a whole worker until its request is read:
four phones that stop sending in the middle of a form (or anyone doing so on purpose) stop
every page. Threaded workers keep idle and kept-alive connections in an event loop and give
each request a thread; a connection that sends nothing for READ_TIMEOUT seconds while its
body is read is answered 400 and closed, so its thread is free again.
"""

workers = 4  # two per core of the hall laptop; SQLite queues the writers among them
worker_class = "gthread"
threads = 16  # per worker: 64 requests at once; a stalled upload holds one of them
keepalive = 5  # seconds; a judge's phone saves about every second and keeps its connection
timeout = 30  # a worker whose event loop stops for this long is restarted (not a request limit)
graceful_timeout = 30
READ_TIMEOUT = 15  # seconds a client may pause while sending a request body


def post_worker_init(worker):
    """Wrap the app so that reading a request body has a time limit (see module docstring)."""
    worker.wsgi = body_read_timeout(worker.wsgi, READ_TIMEOUT)


def body_read_timeout(app, seconds):
    """Return a WSGI app that bounds each read of the request body to seconds.

    The timeout is lifted as soon as the app starts its answer: a phone on slow Wi-Fi may take
    its time to download a PDF. Werkzeug turns a read that times out into a 400.
    """

    def wrapped(environ, start_response):
        sock = environ.get("gunicorn.socket")
        if sock is None:
            return app(environ, start_response)
        sock.settimeout(seconds)

        def start(status, headers, exc_info=None):
            sock.settimeout(None)
            return start_response(status, headers, exc_info)

        return app(environ, start)

    return wrapped
