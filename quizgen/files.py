"""Reading files someone else supplied (answer keys, scans): regular files only, opened without blocking on a FIFO,
and never more than a cap, whatever their size claims."""
from __future__ import annotations

import os
import stat
from pathlib import Path


class NotRegularFile(ValueError):
    """A device, FIFO, socket or folder where a file was expected."""


class TooLarge(ValueError):
    """More bytes than the caller's cap."""


def read_capped(path: Path, limit: int) -> bytes:
    """The whole file, if it is a regular file of at most `limit` bytes (reads at most limit + 1)."""
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))   # a FIFO must not block the open
    with open(fd, "rb") as source:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise NotRegularFile(path)
        data = source.read(limit + 1)
    if len(data) > limit:
        raise TooLarge(path)
    return data
