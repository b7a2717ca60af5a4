"""Reading files someone else supplied (banks, answer keys, scans): regular files only, opened without blocking on
a FIFO or taking a terminal, and never more than a cap, whatever their size claims (it can change; devices say 0)."""
from __future__ import annotations

import os
import stat
from pathlib import Path

_CHUNK = 1 << 20


class NotRegularFile(ValueError):
    """A device, FIFO, socket or folder where a file was expected."""


class TooLarge(ValueError):
    """More bytes than the caller's cap."""


def read_capped(path: Path, limit: int) -> bytes:
    """The whole file, if it is a regular file of at most `limit` bytes (reads at most limit + 1, a chunk at a
    time: a read of limit + 1 at once set that much memory aside for a file of a few hundred bytes)."""
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0))
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise NotRegularFile(path)
        chunks, size = [], 0
        while size <= limit:
            chunk = os.read(fd, min(_CHUNK, limit + 1 - size))
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
    finally:
        os.close(fd)
    if size > limit:
        raise TooLarge(path)
    return b"".join(chunks)
