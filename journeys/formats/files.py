"""Writing files whole or not at all, without harming a file that is not ours.

What ``-o PATH`` does depends on what is there:

- nothing: the file is created whole (a temporary file renamed into place), with the
  permissions the umask allows, as any other program would create it;
- a regular file: it is replaced whole, keeping its permission bits (and, where we may,
  its owner), so an export never widens or narrows who can read it;
- a symbolic link: it is followed, and the file it points to is written as above; the
  link stays a link (renaming over the link itself would cut it);
- a FIFO or a character device (``/dev/null``, ``/dev/stdout``, a terminal, a pipe from
  ``>(…)``): the data is written through to it. Such a target is a stream the user
  chose; replacing it with a regular file (as rename would) breaks the system, and there
  is no "half a file" to protect anyway;
- anything else (a directory, a block device, a socket) is refused: writing a disk or
  a socket is never what an export means.
"""

import errno
import os
import secrets
import stat
from pathlib import Path

# Below this many bytes a temporary name may exceed the target's (file systems allow 255);
# above it the temporary name is cut to the target's length, so any valid name works.
_SHORT_NAME = 16


class NotAFileError(OSError):
    """The target exists and is neither a regular file, a FIFO nor a character device."""


def write_atomic(path: Path, data: bytes, *, mode: int = 0o666) -> None:
    """Write ``data`` to ``path``: whole or not at all for files, through for streams.

    A reader (another server process, a user opening the export) sees the old file or
    the new one, never half of one. A new file gets ``mode`` less the umask (pass 0o600
    for a private cache); an existing one keeps its own. Raises OSError when the target
    cannot be written (``strerror`` says why), :class:`NotAFileError` for a target that
    is no file.
    """
    path = Path(path)
    target = Path(os.path.realpath(path)) if path.is_symlink() else path
    try:
        st = os.stat(target)
    except FileNotFoundError:
        st = None
    if st is not None and (stat.S_ISFIFO(st.st_mode) or stat.S_ISCHR(st.st_mode)):
        _write_through(target, data)
        return
    if st is not None and not stat.S_ISREG(st.st_mode):
        kind = "a directory" if stat.S_ISDIR(st.st_mode) else "not a regular file"
        raise NotAFileError(errno.EISDIR if stat.S_ISDIR(st.st_mode) else errno.EINVAL,
                            f"it is {kind}")
    _replace(target, data, st, mode)


def _write_through(target: Path, data: bytes) -> None:
    """Write to a FIFO or device as it is: no temporary file, no rename, no truncation."""
    fd = os.open(target, os.O_WRONLY | getattr(os, "O_NOCTTY", 0))
    try:
        view = memoryview(data)
        while view:
            view = view[os.write(fd, view):]
    finally:
        os.close(fd)


def temporary_name(name: str) -> str:
    """A hidden, random name in the same folder, never longer (in bytes) than ``name``.

    ``.<random>.<name>`` cut to the target's length: a 250-byte name, valid on its own,
    would exceed the file system's 255 bytes with a prefix and suffix. Names shorter than
    16 bytes get a 16-byte temporary name (far below any limit).
    """
    budget = max(len(os.fsencode(name)), _SHORT_NAME)
    out = f".{secrets.token_hex(4)}."
    size = len(out)
    for char in name:
        width = len(os.fsencode(char))
        if size + width > budget:
            break
        out += char
        size += width
    return out


def _replace(target: Path, data: bytes, st: os.stat_result | None, new_mode: int) -> None:
    """Write a temporary file beside ``target`` and rename it over ``target``."""
    folder = target.parent
    # Created as open(…, "w") would create it (0666 less the umask); an existing file's
    # permission bits are copied exactly, whatever the umask.
    mode = stat.S_IMODE(st.st_mode) if st is not None else new_mode
    for _attempt in range(100):
        tmp = folder / temporary_name(target.name)
        try:
            fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_CLOEXEC", 0),
                         mode)
        except FileExistsError:
            continue
        break
    else:  # pragma: no cover - 100 random collisions in a row
        raise FileExistsError(errno.EEXIST, "no free temporary name", str(folder))
    try:
        with os.fdopen(fd, "wb") as f:
            if st is not None:
                os.fchmod(f.fileno(), mode)
                if (st.st_uid, st.st_gid) != (os.geteuid(), os.getegid()):
                    try:
                        os.fchown(f.fileno(), st.st_uid, st.st_gid)
                    except OSError:
                        pass  # only root may give a file away; the mode is kept anyway
            f.write(data)
        os.replace(tmp, target)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
