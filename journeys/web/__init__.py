"""The web application factory."""

import os
import secrets

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
        SECRET_KEY=os.environ.get("SECRET_KEY") or _instance_secret(app),
        DATABASE_URL=database_url(),
    )
    if test_config:
        app.config.from_mapping(test_config)

    from journeys.web import db, journeys

    db.init_app(app)
    app.register_blueprint(journeys.bp)
    return app


def _instance_secret(app: Flask) -> str:
    """A secret key kept in the instance folder, made on first start (never committed)."""
    path = instance_path() / "secret_key"
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_hex(32))
        path.chmod(0o600)
    return path.read_text().strip()
