"""A private apt configuration derived from the machine's own sources.

Debian stable may lack a package we need (bookworm's wasi-libc has no wasm32-wasip2 sysroot); a newer suite of
the *same* mirror has it. We never edit the system's apt configuration and never name a mirror ourselves: the
URIs and keyrings are copied from /etc/apt, only the suite (and, for sources, the type) changes.
"""
from __future__ import annotations

import os
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from ..errors import ToolchainError

APT_ETC = Path("/etc/apt")
_SECURITY = re.compile(r"security|updates|backports", re.I)


@dataclass(frozen=True)
class AptSource:
    uri: str
    signed_by: str | None


def system_debian_source(etc: Path = APT_ETC) -> AptSource:
    """The main Debian archive the machine uses (not security/updates), from deb822 or one-line sources."""
    candidates: list[tuple[AptSource, str]] = []
    for path in sorted((etc / "sources.list.d").glob("*.sources")):
        for stanza in path.read_text(encoding="utf-8", errors="replace").split("\n\n"):
            fields = _deb822(stanza)
            if fields.get("enabled", "yes").lower() == "no":
                continue
            if "deb" not in fields.get("types", "").split():
                continue
            for uri in fields.get("uris", "").split():
                for suite in fields.get("suites", "").split():
                    candidates.append((AptSource(uri, fields.get("signed-by")), suite))
    for path in [etc / "sources.list", *sorted((etc / "sources.list.d").glob("*.list"))]:
        if not path.is_file():
            continue
        for line in path.read_text(encoding="utf-8", errors="replace").splitlines():
            match = re.match(r"^\s*deb\s+(\[(?P<opts>[^\]]*)\]\s+)?(?P<uri>\S+)\s+(?P<suite>\S+)", line)
            if match:
                signed = re.search(r"signed-by=(\S+)", match.group("opts") or "")
                candidates.append((AptSource(match.group("uri"), signed.group(1) if signed else None), match.group("suite")))
    for source, suite in candidates:
        if "debian" in source.uri and "/debian-security" not in source.uri and not _SECURITY.search(suite):
            return source
    raise ToolchainError(
        "no Debian archive found in /etc/apt/sources.list{,.d}: cannot fetch the wasi-libc package",
        hint="provide a sysroot yourself with `--tool sysroot-wasip2=DIR` (e.g. wasi-sdk's share/wasi-sysroot)",
    )


def _deb822(stanza: str) -> dict[str, str]:
    fields: dict[str, str] = {}
    key = None
    for line in stanza.splitlines():
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        if line[0].isspace() and key:
            fields[key] += " " + line.strip()
            continue
        name, sep, value = line.partition(":")
        if sep:
            key = name.strip().lower()
            fields[key] = value.strip()
    return fields


def write_private_config(root: Path, source: AptSource, suites: Sequence[str], types: str = "deb") -> list[str]:
    """Lay out a private apt state under ``root`` for ``suites`` of the machine's mirror; return the ``-o``
    options that make apt-get use it (and ignore the packages installed on the machine)."""
    (root / "etc" / "sources.list.d").mkdir(parents=True, exist_ok=True)
    (root / "lists" / "partial").mkdir(parents=True, exist_ok=True)
    (root / "cache" / "archives" / "partial").mkdir(parents=True, exist_ok=True)
    lines = [f"Types: {types}", f"URIs: {source.uri}", f"Suites: {' '.join(suites)}", "Components: main"]
    if source.signed_by:
        lines.append(f"Signed-By: {source.signed_by}")
    (root / "etc" / "sources.list.d" / "wasip2ld.sources").write_text("\n".join(lines) + "\n", encoding="utf-8")
    options = [
        "-o", "Dir::Etc::SourceList=/dev/null",
        "-o", f"Dir::Etc::SourceParts={root / 'etc' / 'sources.list.d'}",
        "-o", f"Dir::State::Lists={root / 'lists'}",
        "-o", "Dir::State::status=/dev/null",
        "-o", f"Dir::Cache={root / 'cache'}",
        "-o", "Debug::NoLocking=1",
    ]
    if os.geteuid() == 0:  # downloads land in our private dir, which the _apt sandbox user cannot write
        options += ["-o", "APT::Sandbox::User=root"]
    return options
