"""Fetching Debian source packages for the real-project tests.

The deb-src entry is derived from the machine's own apt sources (URIs and keyring copied by
``wasip2ld.toolchain.apt``, type switched to ``deb-src``) into a private apt state under the cache directory:
the system's apt configuration is never touched and no mirror is named here. Needs ``apt-get`` and
``dpkg-source`` (package dpkg-dev).
"""
from __future__ import annotations

import fcntl
import re
import shutil
import subprocess
from pathlib import Path

from wasip2ld.toolchain import apt


def machine_suite(os_release: Path = Path("/etc/os-release")) -> str:
    match = re.search(r"^VERSION_CODENAME=\"?([a-z]+)", os_release.read_text(), re.M)
    if not match:
        raise RuntimeError(f"{os_release} names no VERSION_CODENAME: cannot choose a Debian suite")
    return match.group(1)


def fetch_source(package: str, cache: Path) -> Path:
    """The unpacked source tree of ``package`` (cached under ``cache``; fetched on first use)."""
    cache.mkdir(parents=True, exist_ok=True)
    with open(cache / ".lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # concurrent test processes share one download
        done = cache / "trees" / f"{package}.done"
        tree = cache / "trees" / package
        if done.is_file() and tree.is_dir():
            return tree
        options = _apt_options(cache)
        downloads = cache / "downloads" / package
        shutil.rmtree(downloads, ignore_errors=True)
        downloads.mkdir(parents=True)
        _apt_get([*options, "source", "--download-only", package], downloads)
        dsc = next(downloads.glob("*.dsc"))
        shutil.rmtree(tree, ignore_errors=True)
        tree.parent.mkdir(parents=True, exist_ok=True)
        # apt-get already checked the files against the signed Sources index; dpkg-source only warns
        # that it has no Debian keyring to check the .dsc signature a second time.
        unpacked = subprocess.run(["dpkg-source", "-x", str(dsc), str(tree)], cwd=downloads, capture_output=True,
                                  text=True)
        if unpacked.returncode != 0:
            raise RuntimeError(f"dpkg-source -x {dsc.name} failed:\n{unpacked.stderr[-2000:]}")
        done.write_text(dsc.name + "\n")
        return tree


def _apt_options(cache: Path) -> list[str]:
    root = cache / "apt"
    options = apt.write_private_config(root, apt.system_debian_source(), (machine_suite(),), types="deb-src")
    if not any((root / "lists").glob("*Sources*")):
        _apt_get([*options, "update"], cache)
    return options


def _apt_get(args: list[str], cwd: Path) -> None:
    result = subprocess.run(["apt-get", "-q", *args], cwd=cwd, capture_output=True, text=True)
    if result.returncode != 0:
        raise RuntimeError(f"apt-get {' '.join(args[-2:])} failed:\n{result.stdout[-2000:]}{result.stderr[-2000:]}")
