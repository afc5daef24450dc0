"""``journeys serve``: gunicorn with several workers, the database migrated once."""

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

JOURNEYS_BIN = Path(sys.executable).parent / "journeys"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _children(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
                found.append(int(entry.name))
    return found


def _get(url: str):
    with urllib.request.urlopen(url, timeout=5) as response:  # noqa: S310 - our loopback
        return response.status, response.read().decode()


def test_serve_runs_several_workers_on_a_migrated_database(database_url, tmp_path):
    port = _free_port()
    proc = subprocess.Popen(
        [str(JOURNEYS_BIN), "serve", "--port", str(port), "--workers", "3"],
        env={**os.environ, "DATABASE_URL": database_url}, cwd=tmp_path,
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    try:
        for _ in range(300):  # wait for the workers to listen (a bound, not a threshold)
            try:
                status, html = _get(f"http://127.0.0.1:{port}/")
                break
            except OSError:
                time.sleep(0.1)
        else:
            raise AssertionError("the server never answered")
        assert status == 200
        assert "Journeys" in html
        for _ in range(100):
            if len(_children(proc.pid)) == 3:
                break
            time.sleep(0.1)
        assert len(_children(proc.pid)) == 3
    finally:
        proc.send_signal(signal.SIGTERM)
        out, _ = proc.communicate(timeout=30)
    assert proc.returncode == 0, out.decode()


def test_serve_refuses_a_bad_port(journeys_cli):
    result = journeys_cli("serve", "--port", "0")
    assert result.code == 2
    assert "--port" in result.err
