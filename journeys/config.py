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


DEFAULT_BUSY_TIMEOUT = 5.0


class ConfigError(ValueError):
    """A setting in the environment that cannot be used; the message names it."""


def busy_timeout() -> float:
    """Seconds a writer waits for another one (``JOURNEYS_BUSY_TIMEOUT``, default 5)."""
    raw = os.environ.get("JOURNEYS_BUSY_TIMEOUT")
    if raw is None or not raw.strip():
        return DEFAULT_BUSY_TIMEOUT
    try:
        # float() alone would also read "١" (an Arabic-Indic one) or "nan".
        value = float(raw) if raw.strip().isascii() else -1.0
    except ValueError:
        value = -1.0
    if not 0 <= value <= 3600:
        raise ConfigError(f"JOURNEYS_BUSY_TIMEOUT: {raw!r} is not a number of seconds "
                          "from 0 to 3600")
    return value


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
