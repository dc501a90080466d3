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
    bindings = write_bindings(
        settings.build,
        wit=_wit(own, settings.build),
        world=str(own["world"]) if own.get("world") else None,
        out_dir=out_dir,
        string_encoding=str(own.get("string-encoding") or "utf8"),
        mangling=_mangling(own.get("mangling")),
        features=str(own["wit-features"]) if own.get("wit-features") else None,
        all_features=True if own.get("wit-all-features") else None,
        toolchain=discover(settings),
    )
    extra = [f"-I{out_dir}"]
    if line.links:  # first, so `-x none` restores file-type detection for the user's own inputs
        extra += ["-x", "c", str(out_dir / bindings.source_name), "-x", "none"]
    line.clang_args = [*extra, *line.clang_args]


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
