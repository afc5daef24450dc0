"""Serving the app with gunicorn: migrate once, then fork the workers."""

import gc

from gunicorn.app.base import BaseApplication


class _Server(BaseApplication):
    def __init__(self, options: dict):
        self.options = options
        super().__init__()

    def load_config(self):
        for key, value in self.options.items():
            self.cfg.set(key, value)

    def load(self):
        return worker_app()


def worker_app():
    """The app as a worker serves it: created, then its objects kept out of collections.

    The app and its imports are over 100,000 objects that live as long as the worker;
    every full garbage collection walked them all, tens of milliseconds that landed on
    whichever request was running (the slowest API lists were those). Frozen, a full
    collection only looks at what requests allocate.
    """
    from journeys.web import create_app

    app = create_app()
    gc.collect()
    gc.freeze()
    return app


def prepare() -> None:
    """Migrate the database and make the secret key before any worker starts.

    Workers then find both ready (no two of them race to create them), and the
    engine used here is thrown away so that no worker inherits its connections.
    """
    from journeys.store.db import dispose_engines
    from journeys.web import create_app

    create_app()
    dispose_engines()


def run(*, host: str, port: int, workers: int) -> None:
    """Serve on ``host:port`` with ``workers`` processes until interrupted."""
    prepare()
    _Server({
        "bind": f"[{host}]:{port}" if ":" in host else f"{host}:{port}",
        "workers": workers,
        "worker_class": "sync",
        "threads": 1,
        "timeout": 60,
        "graceful_timeout": 10,
        "accesslog": "-",
        "errorlog": "-",
        "loglevel": "info",
        # Headers and body sizes stay bounded; the app answers oversized bodies with 413.
        "limit_request_line": 8190,
    }).run()
