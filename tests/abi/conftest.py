"""Fixtures for the ABI tests: the WASI WIT trees jco ships, laid out the way wasm-tools expects."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import pytest


@dataclass(frozen=True)
class WasiRelease:
    version: str  # "0.2.12", "0.3.0", …
    packages: tuple[Path, ...]  # one directory per package: package.wit + deps/ (its siblings)


@pytest.fixture(scope="session")
def wasi_releases(need, tmp_path_factory) -> tuple[WasiRelease, ...]:
    """Every WASI 0.2.x and 0.3.x snapshot under jco's `lib/wit/builtin`. jco stores each package as
    `<version>/<package>/package.wit` with no deps/, so each package gets a directory whose deps/ links to
    the other packages of the same release."""
    root = need("wasi-wit")
    releases = []
    base = tmp_path_factory.mktemp("wasi-wit")
    for release in sorted(root.iterdir()):
        if not (release.is_dir() and re.fullmatch(r"0\.[23]\.\d+", release.name)):
            continue
        sources = sorted(p for p in release.iterdir() if (p / "package.wit").is_file())
        packages = []
        for source in sources:
            tree = base / release.name / source.name
            (tree / "deps").mkdir(parents=True)
            (tree / "package.wit").symlink_to(source / "package.wit")
            for other in sources:
                if other != source:
                    (tree / "deps" / other.name).symlink_to(other, target_is_directory=True)
            packages.append(tree)
        releases.append(WasiRelease(release.name, tuple(packages)))
    for draft in sorted(root.glob("wasi-*-0.2.*")):  # self-contained drafts (wasi-tls) carry their own deps/
        if draft.is_dir() and draft.joinpath("deps").is_dir():
            releases.append(WasiRelease(draft.name.split("-", 2)[-1], (draft,)))
    versions = [r.version for r in releases]
    if not any(v.startswith("0.2.") for v in versions) or not any(v.startswith("0.3.") for v in versions):
        pytest.fail(
            f"jco's WIT under {root} should hold WASI 0.2.x and 0.3.x, found {versions}", pytrace=False
        )
    return tuple(releases)
