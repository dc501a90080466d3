"""``--bindgen``: generate the C bindings of the ``--wit``/``--world`` being built into the build tree and
compile them in (``-I`` for every compile; ``<world>.c`` added to links)."""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path

from . import ccargs


def add_bindings(line: ccargs.CcCommandLine, overrides: dict[str, object] | None) -> None:
    """Write ``<world>.h``/``<world>.c`` into ``--bindgen-dir`` (default: ``bindgen/`` beside the output)
    and extend ``line.clang_args`` to use them."""
    from ..bindgen.write import write_bindings
    from ..config import load_settings
    from ..toolchain.discover import discover

    own = line.own
    overrides = overrides or {}
    settings = load_settings(
        toolchain=overrides.get("toolchain"),  # type: ignore[arg-type]
        roots=overrides.get("roots"),  # type: ignore[arg-type]
        tools=overrides.get("tools"),  # type: ignore[arg-type]
    )
    out_dir = Path(str(own.get("bindgen-dir") or _default_dir(line.output)))
    wit, world = _wit(own, settings.build), str(own["world"]) if own.get("world") else None
    if own.get("dry-run"):
        _show(wit, world, out_dir, own)  # nothing is written, so clang's plan cannot name <world>.c
        line.clang_args = [f"-I{out_dir}", *line.clang_args]
        return
    bindings = write_bindings(
        settings.build,
        wit=wit,
        world=world,
        out_dir=out_dir,
        string_encoding=str(own.get("string-encoding") or "utf8"),
        mangling=_mangling(own.get("mangling")),
        features=str(own["wit-features"]) if own.get("wit-features") else None,
        all_features=True if own.get("wit-all-features") else None,
        toolchain=discover(settings),
    )
    _use(line, out_dir, bindings.source_name)


def _use(line: ccargs.CcCommandLine, out_dir: Path, source_name: str) -> None:
    extra = [f"-I{out_dir}"]
    if line.links:  # first, so `-x none` restores file-type detection for the user's own inputs
        extra += ["-x", "c", str(out_dir / source_name), "-x", "none"]
    line.clang_args = [*extra, *line.clang_args]


def _show(wit: Path | None, world: str | None, out_dir: Path, own: dict[str, str | bool]) -> None:
    """``--dry-run``: the generation that would run, as a `wasip2ld bindgen c` command line."""
    import shlex
    import sys

    argv = ["wasip2ld", "bindgen", "c", *(["--wit", str(wit)] if wit else [])]
    argv += [*(["--world", world] if world else []), "--out-dir", str(out_dir)]
    if own.get("string-encoding"):
        argv += ["--string-encoding", str(own["string-encoding"])]
    print(f"# {shlex.join(argv)}", file=sys.stderr)


def _wit(own: dict[str, str | bool], build: Mapping[str, object]) -> Path | None:
    """``--wit``, else ``[build] wit``, else ``./wit`` when a world is named (as the linker does)."""
    if own.get("wit"):
        return Path(str(own["wit"]))
    if "wit" not in build and own.get("world") and Path("wit").exists():
        return Path("wit")
    return None


def _default_dir(output: str | None) -> str:
    parent = os.path.dirname(output) if output and output != "-" else ""
    return os.path.join(parent, "bindgen")


def _mangling(value: object) -> str | None:
    return None if value in (None, "auto") else str(value)
