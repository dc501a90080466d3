"""Fixtures of the reliability tests: the driver's entry points and runner (shared with tests/driver), device
nodes that are safe to write to, and a bounded run of any wasip2ld command."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from driver.conftest import (  # noqa: F401 - fixtures shared with the driver tests
    BIN,
    HELLO_C,
    clang_cmd,
    driver_env,
    ld_entry,
    sh,
    wasip2ld_cmd,
)

_MINORS = {"null": 3, "full": 7}


@pytest.fixture
def device(tmp_path):
    """``device("null")``: a private character device node like /dev/null (root can make one, so a
    regression replaces that node, not the machine's /dev/null); the real one otherwise (a non-root user
    cannot replace it, so a regression shows as an error)."""

    def make(name: str) -> Path:
        node = tmp_path / f"dev-{name}"
        try:
            os.mknod(node, 0o666 | stat.S_IFCHR, os.makedev(1, _MINORS[name]))
            os.close(os.open(node, os.O_WRONLY))  # a nodev mount refuses to open it
            return node
        except OSError:
            node.unlink(missing_ok=True)
            return Path(f"/dev/{name}")

    return make


def is_char_device(path: Path) -> bool:
    return stat.S_ISCHR(os.stat(path).st_mode)
