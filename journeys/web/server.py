"""Serving the app with gunicorn: migrate once, then fork the workers."""

from gunicorn.app.base import BaseApplication


class _Server(BaseApplication):
    def __init__(self, options: dict):
        self.options = options
        super().__init__()

    def load_config(self):
        for key, value in self.options.items():
            self.cfg.set(key, value)

    def load(self):
        from journeys.web import create_app

        return create_app()


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
