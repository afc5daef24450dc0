"""The web application factory."""

import os
import secrets
from pathlib import Path

from flask import Flask

from journeys.config import PACKAGE_DIR, database_url, instance_path

ROOT = PACKAGE_DIR.parent


def create_app(test_config: dict | None = None) -> Flask:
    """Build the app: defaults, then the environment, then ``test_config``."""
    app = Flask(
        __name__,
        instance_path=str(instance_path()),
        template_folder=str(ROOT / "templates"),
        static_folder=str(ROOT / "static"),
    )
    app.config.from_mapping(
        SECRET_KEY=os.environ.get("SECRET_KEY"),
        DATABASE_URL=database_url(),
    )
    if test_config:
        app.config.from_mapping(test_config)
    if not app.config["SECRET_KEY"]:
        app.config["SECRET_KEY"] = _instance_secret(Path(app.instance_path))

    from journeys.web import db, journeys

    db.init_app(app)
    app.register_blueprint(journeys.bp)
    from journeys import api

    api.init_app(app)
    return app


def _instance_secret(folder: Path) -> str:
    """A secret key kept in the instance folder, made on first start (never committed)."""
    path = folder / "secret_key"
    if not path.exists():
        folder.mkdir(parents=True, exist_ok=True)
        # Created readable by the owner only, before the secret is written into it.
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as f:
            f.write(secrets.token_hex(32))
    return path.read_text().strip()
