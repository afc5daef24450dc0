"""Writing exports: whole or not at all, and never harming a file that is not ours."""

import os
import stat
import threading

import pytest

from journeys.formats.files import NotAFileError, temporary_name, write_atomic


@pytest.fixture
def umask_022():
    old = os.umask(0o022)
    yield
    os.umask(old)


def test_a_new_file_is_written_whole(tmp_path):
    target = tmp_path / "birth.svg"
    write_atomic(target, b"<svg/>")
    assert target.read_bytes() == b"<svg/>"
    assert os.listdir(tmp_path) == ["birth.svg"]  # no temporary file left behind


@pytest.mark.parametrize(("umask", "mode"), [(0o022, 0o644), (0o077, 0o600), (0o002, 0o664)])
def test_a_created_file_follows_the_umask(tmp_path, umask, mode):
    old = os.umask(umask)
    try:
        write_atomic(tmp_path / "out.md", b"# A journey\n")
    finally:
        os.umask(old)
    assert stat.S_IMODE(os.stat(tmp_path / "out.md").st_mode) == mode


def test_a_private_file_can_be_asked_for(tmp_path, umask_022):
    write_atomic(tmp_path / "cache.svg", b"<svg/>", mode=0o600)
    assert stat.S_IMODE(os.stat(tmp_path / "cache.svg").st_mode) == 0o600


@pytest.mark.parametrize("mode", [0o600, 0o640, 0o664, 0o755])
def test_an_overwritten_file_keeps_its_mode(tmp_path, umask_022, mode):
    target = tmp_path / "shared.csv"
    target.write_bytes(b"old")
    target.chmod(mode)
    write_atomic(target, b"new")
    assert target.read_bytes() == b"new"
    assert stat.S_IMODE(os.stat(target).st_mode) == mode


def test_a_symbolic_link_is_followed_and_stays_a_link(tmp_path):
    real = tmp_path / "real.svg"
    real.write_bytes(b"old")
    real.chmod(0o640)
    link = tmp_path / "link.svg"
    link.symlink_to("real.svg")
    write_atomic(link, b"new")
    assert link.is_symlink() and os.readlink(link) == "real.svg"
    assert real.read_bytes() == b"new"
    assert stat.S_IMODE(os.stat(real).st_mode) == 0o640


def test_a_dangling_symbolic_link_creates_its_target(tmp_path):
    link = tmp_path / "link.svg"
    link.symlink_to("made.svg")
    write_atomic(link, b"new")
    assert link.is_symlink()
    assert (tmp_path / "made.svg").read_bytes() == b"new"


def test_a_fifo_is_written_through_not_replaced(tmp_path):
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    received = []

    def read():
        with open(fifo, "rb") as f:
            received.append(f.read())

    reader = threading.Thread(target=read)
    reader.start()
    data = b"x" * 200_000  # more than a pipe buffer holds
    write_atomic(fifo, data)
    reader.join(timeout=60)
    assert received == [data]
    assert stat.S_ISFIFO(os.stat(fifo).st_mode)


def test_dev_null_stays_a_device():
    # Run as root, a rename over /dev/null would replace the device with a regular file.
    write_atomic("/dev/null", b"discarded")
    assert stat.S_ISCHR(os.stat("/dev/null").st_mode)


def test_a_directory_is_refused_and_left_alone(tmp_path):
    folder = tmp_path / "taken.svg"
    folder.mkdir()
    with pytest.raises(NotAFileError):
        write_atomic(folder, b"data")
    assert folder.is_dir() and os.listdir(folder) == []
    assert os.listdir(tmp_path) == ["taken.svg"]


def test_a_250_character_name_can_be_written(tmp_path):
    name = "j" * 246 + ".svg"
    write_atomic(tmp_path / name, b"<svg/>")
    assert (tmp_path / name).read_bytes() == b"<svg/>"
    write_atomic(tmp_path / name, b"<svg></svg>")  # and overwritten
    assert (tmp_path / name).read_bytes() == b"<svg></svg>"


@pytest.mark.parametrize("name", ["a.svg", "j" * 250, "é" * 127, "report.pdf", "ü" * 20 + "x"])
def test_a_temporary_name_is_never_longer_than_the_target(name):
    tmp = temporary_name(name)
    assert len(os.fsencode(tmp)) <= max(len(os.fsencode(name)), 16)
    assert tmp.startswith(".") and tmp != name
    tmp.encode("utf-8")  # never half a character
    assert temporary_name(name) != tmp


def test_a_failed_write_leaves_the_old_file_and_no_temporary(tmp_path, monkeypatch):
    target = tmp_path / "keep.json"
    target.write_bytes(b"old")

    def refuse(*args):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", refuse)
    with pytest.raises(OSError):
        write_atomic(target, b"new")
    assert target.read_bytes() == b"old"
    assert os.listdir(tmp_path) == ["keep.json"]
