"""The WASI WIT packages jco ships (``tc.path("wasi-wit")``: ``0.2.x/`` and ``0.3.x/`` directories of
``wasi-<name>/package.wit``), laid out as WIT package directories with their siblings under ``deps/`` so that
`wasm-tools` resolves each one, and every world they define."""

from __future__ import annotations

import re
import shutil
from dataclasses import dataclass
from pathlib import Path

from wasip2ld.wit import load_packages

_VERSION_DIR = re.compile(r"^0\.[23]\.\d+$")


@dataclass(frozen=True)
class WasiWorld:
    package_dir: Path  # a WIT package directory (with deps/)
    world: str  # ns:pkg/name@version

    def __str__(self) -> str:
        return self.world


def version_dirs(root: Path) -> list[Path]:
    return sorted(p for p in root.iterdir() if p.is_dir() and _VERSION_DIR.match(p.name))


def package_dirs(version_dir: Path, into: Path) -> list[Path]:
    """One resolvable package directory per ``wasi-*`` package of ``version_dir``."""
    packages = sorted(p for p in version_dir.iterdir() if (p / "package.wit").is_file())
    out = []
    for package in packages:
        target = into / version_dir.name / package.name
        (target / "deps").mkdir(parents=True, exist_ok=True)
        shutil.copy(package / "package.wit", target / "package.wit")
        for other in packages:
            if other != package:
                dep = target / "deps" / other.name
                dep.mkdir(exist_ok=True)
                shutil.copy(other / "package.wit", dep / "package.wit")
        out.append(target)
    return out


def wasi_worlds(root: Path, into: Path, toolchain: object) -> list[WasiWorld]:
    found = []
    for version_dir in version_dirs(root):
        for package_dir in package_dirs(version_dir, into):
            packages = load_packages(package_dir, toolchain=toolchain)
            found += [WasiWorld(package_dir, w.id) for w in packages.main.worlds]
    return found
