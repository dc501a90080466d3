"""Fetching Debian's ``wasi-libc`` package and choosing which one to install.

By default the candidates are the versions of the machine's own Debian mirror in ``unstable``, ``testing`` and
``stable``, newest first; the first whose ``wasm32-wasip2`` sysroot imports nothing from
``wasi_snapshot_preview1`` wins (decided from the objects, see ``sysrootscan``). When none is p1-free the
newest one with a wasm32-wasip2 sysroot is taken (its programs need the WASI p1 adapter). ``--suite S`` takes
whatever S has. Everything goes through a private apt configuration (``apt``); the system's is never touched.
"""

from __future__ import annotations

import re
import shutil
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from ..errors import ToolchainError, ToolFailed
from ..proc import Runner
from . import apt
from .sysrootscan import SysrootFacts, scan_sysroot

CANDIDATE_SUITES = ("unstable", "testing", "stable")
PACKAGE = "wasi-libc"


@dataclass(frozen=True)
class Fetched:
    version: str
    facts: SysrootFacts


class WasiLibcFetcher:
    """Downloads candidates into ``work`` and leaves the chosen one extracted in ``stage``."""

    def __init__(self, runner: Runner, say: Callable[[str], None], work: Path, suite: str | None) -> None:
        self.runner, self.say, self.work = runner, say, work
        self.suites: Sequence[str] = (suite,) if suite else CANDIDATE_SUITES
        self.explicit = suite is not None

    @property
    def where(self) -> str:
        return f"Debian {'/'.join(self.suites)}"

    def fetch(self, stage: Path) -> Fetched | None:
        """The chosen package, extracted into ``stage`` (None in a dry run)."""
        for tool in ("apt-get", "apt-cache", "dpkg-deb"):
            if not shutil.which(tool):
                raise ToolchainError(f"{tool} not found: the sysroots come from Debian's wasi-libc package",
                                     hint="on a non-Debian machine pass a sysroot with --tool sysroot-wasip2=DIR")
        options = apt.write_private_config(self.work, apt.system_debian_source(), self.suites)
        self._apt(["apt-get", *options, "update", "--error-on=any"], "apt-get update")
        if self.runner.dry_run:
            self._apt(["apt-get", *options, "download", PACKAGE], "apt-get download")
            return None
        versions = [None] if self.explicit else self._versions(options)
        fallback: tuple[Path, str] | None = None
        for version in versions:
            deb = self._download(options, version)
            found = self._extract(deb, stage)
            if found is not None and (found.facts.p1_free or self.explicit):
                return found
            if found is not None and fallback is None:
                fallback = (deb, found.version)
                self.say(f"       {PACKAGE} {found.version} still imports {len(found.facts.p1_imports)} WASI p1 "
                         "functions: looking for a newer one")
        if fallback is None:
            raise ToolchainError(f"no {PACKAGE} package in {self.where} has a wasm32-wasip2 sysroot",
                                 hint="pass a sysroot with --tool sysroot-wasip2=DIR (e.g. wasi-sdk's share/wasi-sysroot)")
        self.say(f"       no p1-free {PACKAGE} in {self.where}: taking {fallback[1]}; components will carry the "
                 "WASI p1 adapter and --module builds cannot use stdio/files")
        found = self._extract(fallback[0], stage)
        assert found is not None
        return found

    def _versions(self, options: list[str]) -> list[str]:
        """The distinct candidate versions, newest first (`apt-cache madison` sorts them)."""
        result = self.runner.run(["apt-cache", *options, "madison", PACKAGE], tool="apt-cache", capture=True)
        versions: list[str] = []
        for line in result.stdout.decode("utf-8", "replace").splitlines():
            fields = [f.strip() for f in line.split("|")]
            if len(fields) >= 2 and fields[0] == PACKAGE and fields[1] not in versions:
                versions.append(fields[1])
        if not versions:
            raise ToolchainError(f"{self.where} has no {PACKAGE} package",
                                 hint="pick a suite that has it: wasip2ld toolchain install --suite SUITE")
        return versions

    def _download(self, options: list[str], version: str | None) -> Path:
        before = set(self.work.glob(f"{PACKAGE}_*.deb"))
        spec = PACKAGE if version is None else f"{PACKAGE}={version}"
        self._apt(["apt-get", *options, "download", spec], "apt-get download", cwd=self.work)
        debs = sorted(set(self.work.glob(f"{PACKAGE}_*.deb")) - before) or sorted(before)
        if not debs:
            raise ToolchainError(f"apt-get download produced no {PACKAGE} package in {self.work}")
        return debs[-1]

    def _extract(self, deb: Path, stage: Path) -> Fetched | None:
        """``deb`` unpacked into an emptied ``stage``; None when it has no wasm32-wasip2 sysroot."""
        shutil.rmtree(stage)
        stage.mkdir()
        self.runner.run(["dpkg-deb", "-x", str(deb), str(stage)], tool="dpkg-deb")
        usr = stage / "usr"
        version = deb_version(deb.name)
        if not (usr / "lib/wasm32-wasip2/libc.a").is_file():
            if self.explicit:
                raise ToolchainError(f"{deb.name} ({self.where}) has no wasm32-wasip2 sysroot",
                                     hint="use a newer suite, or drop --suite to get the newest p1-free one")
            return None
        ensure_p1_names(usr)
        (stage / "VERSION").write_text(version + "\n", encoding="utf-8")
        return Fetched(version, scan_sysroot(usr))

    def _apt(self, argv: list[str], what: str, cwd: Path | None = None) -> None:
        try:
            self.runner.run(argv, tool=what, capture=True, cwd=cwd)
        except ToolFailed as exc:
            raise ToolFailed(exc.tool, exc.returncode,
                             f"cannot fetch {PACKAGE} from {self.where} (is the registry reachable?): {exc}")


def ensure_p1_names(usr: Path) -> None:
    """Older packages name the p1 target `wasm32-wasi`; clang looks for `wasm32-wasip1`."""
    for sub in ("lib", "include"):
        p1, legacy = usr / sub / "wasm32-wasip1", usr / sub / "wasm32-wasi"
        if not p1.exists() and legacy.is_dir():
            p1.symlink_to("wasm32-wasi")


def deb_version(filename: str) -> str:
    match = re.match(r"[^_]+_([^_]+)_", filename)
    return match.group(1).replace("%3a", ":") if match else "unknown"
