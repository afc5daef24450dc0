"""A live server on loopback and a real headless Chromium driven by Playwright."""

import os
import shutil
import threading
from pathlib import Path

import pytest
from werkzeug.serving import make_server

AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]


def _chromium() -> str:
    path = shutil.which("chromium") or shutil.which("chromium-browser")
    if path is None:
        pytest.fail("Chromium is not installed: run 'make test', which installs it")
    return path


@pytest.fixture
def live_server(app):
    """The app served on a free loopback port for the duration of the test."""
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join()


@pytest.fixture(scope="session")
def browser(tmp_path_factory):
    """One headless Chromium for the whole run, with a throwaway home folder."""
    from playwright.sync_api import sync_playwright

    home = tmp_path_factory.mktemp("chromium-home")
    env = {**os.environ, "HOME": str(home), "XDG_CONFIG_HOME": str(home / ".config"),
           "XDG_CACHE_HOME": str(home / ".cache")}
    with sync_playwright() as pw:
        chromium = pw.chromium.launch(executable_path=_chromium(), args=CHROMIUM_ARGS, env=env)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser):
    """A fresh browser page."""
    context = browser.new_context()
    context.set_default_timeout(15000)
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def axe():
    """Run axe-core on a page; returns its violations (id, impact, help, targets)."""

    source = AXE.read_text()

    def run(page) -> list[dict]:
        # Evaluated through the debugging protocol, which the page's CSP does not govern
        # (an injected <script> tag would be refused, as it should be).
        if not page.evaluate("() => typeof axe !== 'undefined'"):
            page.evaluate(f"() => {{ {source}\n; window.axe = axe; }}")
        result = page.evaluate(
            "async () => await axe.run(document, "
            "{runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21aa', 'wcag22aa',"
            " 'best-practice']}})"
        )
        return [
            {"id": v["id"], "impact": v["impact"], "help": v["help"],
             "targets": [n["target"] for n in v["nodes"]]}
            for v in result["violations"]
        ]

    return run


@pytest.fixture
def designer(session):
    """A user owning the team journeys are imported into by default."""
    from journeys.store import accounts
    from journeys.store import services as store
    from tests.journeys.web.conftest import PASSWORD

    user = accounts.create_user(session=session, email="ana@example.org", name="Ana López",
                                password=PASSWORD)
    accounts.create_team(session=session, actor=store.SYSTEM, name=store.DEFAULT_TEAM,
                         owner_email=user.email)
    return user


def sign_in(page, base: str, email: str) -> None:
    """Sign in through the form, as a person would."""
    from tests.journeys.web.conftest import PASSWORD

    page.goto(base + "/sign-in")
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(base + "/")


@pytest.fixture
def signed_in(live_server, page, designer):
    """The page, signed in as the designer."""
    sign_in(page, live_server, designer.email)
    return page
