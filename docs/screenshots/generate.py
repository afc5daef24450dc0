"""Regenerate the README's screenshots: ``.venv/bin/python docs/screenshots/generate.py``.

Serves the app on a throwaway database with the demo journeys and photographs the
journey list, the map, the flow view and a step's checks panel with headless Chromium.
"""

import os
import shutil
import sys
import tempfile
import threading
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parents[1]))


def main() -> None:
    """Write list.png, map.png, flow.png and checks.png next to this script."""
    work = Path(tempfile.mkdtemp())
    os.environ["DATABASE_URL"] = f"sqlite:///{work / 'journeys.sqlite'}"
    os.environ["JOURNEYS_INSTANCE"] = str(work / "instance")
    from playwright.sync_api import sync_playwright
    from werkzeug.serving import make_server

    from journeys.store import accounts, services
    from journeys.store.db import open_session
    from journeys.web import create_app

    app = create_app()
    with open_session() as session:
        services.load_demo(session=session)
        email, password = accounts.ensure_demo_account(session=session)
        journeys = {j.title: j.id for j in services.list_journeys(session=session,
                                                                  actor=services.SYSTEM)}
    birth = journeys["Register a birth"]
    server = make_server("127.0.0.1", 0, app, threaded=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_port}"
    shots = {
        "list.png": ("/", "main"),
        "map.png": (f"/journeys/{birth}", ".app-scroll"),
        "flow.png": (f"/journeys/{birth}/flow", "#flow"),
        "checks.png": (f"/journeys/{birth}/steps/book-online", "#checks"),
    }
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=shutil.which("chromium"),
                                     args=["--headless", "--no-sandbox"])
        page = browser.new_page(viewport={"width": 1280, "height": 800})
        page.goto(base + "/sign-in")
        page.get_by_label("Email address").fill(email)
        page.get_by_label("Password").fill(password)
        page.get_by_role("button", name="Sign in").click()
        page.wait_for_url(base + "/")
        for name, (path, selector) in shots.items():
            page.goto(base + path)
            shot = page.locator(selector).first
            if name == "checks.png":  # the panel's first questions are enough to show it
                page.evaluate("document.getElementById('checks').scrollIntoView()")
                box = shot.bounding_box()
                page.screenshot(path=str(HERE / name), clip={
                    "x": box["x"], "y": box["y"], "width": box["width"],
                    "height": min(box["height"], 780)})
            else:
                shot.screenshot(path=str(HERE / name))
            print(name, (HERE / name).stat().st_size, "bytes")
        browser.close()
    server.shutdown()
    shutil.rmtree(work)


if __name__ == "__main__":
    main()
