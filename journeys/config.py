"""Where things live: the instance folder and the database URL.

Read when called, never at import time, so tests and the CLI can set the
environment first. The web factory and the CLI share these answers, so both see
the same database.
"""

import os
import sys
from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent


def instance_path() -> Path:
    """The instance folder: ``JOURNEYS_INSTANCE``, else ``instance/`` of a source checkout.

    An installed (non-checkout) package uses ``<prefix>/var/journeys-instance``, as
    Flask does for installed applications.
    """
    env = os.environ.get("JOURNEYS_INSTANCE")
    if env:
        return Path(env)
    root = PACKAGE_DIR.parent
    if (root / "pyproject.toml").exists():
        return root / "instance"
    return Path(sys.prefix) / "var" / "journeys-instance"


def database_url() -> str:
    """``DATABASE_URL``, else an SQLite file in the instance folder."""
    url = os.environ.get("DATABASE_URL")
    if url:
        # Hosting platforms hand out postgres:// URLs; SQLAlchemy wants the driver named.
        for prefix in ("postgres://", "postgresql://"):
            if url.startswith(prefix):
                return "postgresql+psycopg://" + url[len(prefix):]
        return url
    return f"sqlite:///{instance_path() / 'journeys.sqlite'}"
