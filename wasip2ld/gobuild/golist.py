"""What `go list` says about the packages being built: the main package's directory (where wasip2ld's
overlay file goes) and the source files of every non-standard package (where `//go:wasm*` directives live)."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from ..proc import Runner
from . import WASM_ENV
_FIELDS = "ImportPath,Name,Dir,GoFiles,Standard,DepOnly"


@dataclass(frozen=True)
class GoPackage:
    import_path: str
    name: str
    dir: Path | None
    go_files: tuple[str, ...]
    standard: bool
    named: bool  # on the command line (not only a dependency)

    @property
    def files(self) -> tuple[Path, ...]:
        return tuple(self.dir / f for f in self.go_files) if self.dir else ()


def list_packages(
    go: Sequence[str], flags: Sequence[str], packages: Sequence[str], runner: Runner
) -> tuple[GoPackage, ...]:
    """The named packages and all their dependencies (``-e``: broken packages are listed too, go build
    reports them properly). Empty under --dry-run."""
    argv = [*go, "list", "-e", "-deps", f"-json={_FIELDS}", *flags, *packages]
    result = runner.run(argv, tool="go", capture=True, env=WASM_ENV, show_env=WASM_ENV)
    return parse_list_output((result.stdout or b"").decode("utf-8", "replace"))


def parse_list_output(text: str) -> tuple[GoPackage, ...]:
    """`go list -json` prints one JSON object after another."""
    decoder = json.JSONDecoder()
    found: list[GoPackage] = []
    pos = 0
    while True:
        while pos < len(text) and text[pos].isspace():
            pos += 1
        if pos >= len(text):
            return tuple(found)
        item, pos = decoder.raw_decode(text, pos)
        found.append(GoPackage(
            import_path=item.get("ImportPath", ""),
            name=item.get("Name", ""),
            dir=Path(item["Dir"]) if item.get("Dir") else None,
            go_files=tuple(item.get("GoFiles") or ()),
            standard=bool(item.get("Standard")),
            named=not item.get("DepOnly"),
        ))  # fmt: skip


def main_package(packages: Sequence[GoPackage]) -> GoPackage | None:
    """The one named `package main`, if the build has exactly one."""
    mains = [p for p in packages if p.named and p.name == "main"]
    return mains[0] if len(mains) == 1 else None


def default_output_name(package: GoPackage | None) -> str:
    """What go build would call the executable: the import path's last element (skipping a ``/vN``
    major-version suffix), ``.wasm`` added; ``main.go``-style file arguments give the first file's name."""
    if package is None:
        return "main.wasm"
    if package.import_path == "command-line-arguments":
        first = package.go_files[0] if package.go_files else "main.go"
        return Path(first).stem + ".wasm"
    parts = package.import_path.split("/")
    base = parts[-1]
    if len(parts) > 1 and base[:1] == "v" and base[1:].isdigit():
        base = parts[-2]
    return base + ".wasm"
