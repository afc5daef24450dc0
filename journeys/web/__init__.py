"""The web application factory."""

import os
import secrets
from pathlib import Path

from flask import Flask

from journeys.config import PACKAGE_DIR, database_url, instance_path

ROOT = PACKAGE_DIR.parent
# A request body above this size gets the friendly 413 page (uploads are journey files).
MAX_BODY_BYTES = 2 * 1024 * 1024
# A workshop lasts a day: the CSRF token outlives it, and it is renewed with the session.
CSRF_TOKEN_SECONDS = 16 * 3600


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
        MAX_CONTENT_LENGTH=MAX_BODY_BYTES,
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        # Secure over HTTPS in any case (security.SessionInterface); behind a TLS proxy,
        # BEHIND_PROXY=1 makes the app trust its X-Forwarded-Proto.
        SESSION_COOKIE_SECURE=False,
        BEHIND_PROXY=os.environ.get("BEHIND_PROXY", "") == "1",
        WTF_CSRF_TIME_LIMIT=CSRF_TOKEN_SECONDS,
        WTF_CSRF_HEADERS=["X-CSRFToken"],
        BABEL_DEFAULT_LOCALE="en",
        BABEL_TRANSLATION_DIRECTORIES=str(Path(__file__).parent / "translations"),
    )
    if test_config:
        app.config.from_mapping(test_config)
    if not app.config["SECRET_KEY"]:
        app.config["SECRET_KEY"] = _instance_secret(Path(app.instance_path))

    from journeys.web import auth, db, editor, errors, i18n, journeys, security, teams

    db.init_app(app)
    security.init_app(app)
    i18n.init_app(app)
    auth.init_app(app)
    errors.init_app(app)
    app.register_blueprint(journeys.bp)
    app.register_blueprint(editor.bp)
    app.register_blueprint(teams.bp)
    from journeys.web import workshops  # co-creation workshops, the facilitator side
    app.register_blueprint(workshops.bp)

    from journeys.web import participate  # citizens in a workshop, without an account

    app.register_blueprint(participate.bp)

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
