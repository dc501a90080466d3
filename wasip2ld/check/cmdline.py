"""``wasip2ld check``'s command line without click: click's import alone costs more than checking a module.

``parse`` reads the options of the click command (``wasip2ld.commands.check``) that a check against the
module's own world takes, and answers None for anything else (``--wit`` and its flags, ``--help``, an
unknown or malformed option or choice, no MODULE or two), which then goes to click for its usual messages;
tests/check/test_check_cmdline.py checks that the two parse alike. ``run_check`` is the command itself,
for both; without group options (``--tool`` …) it takes the parts it needs from the compiler driver's
cached toolchain resolution, resolving (and caching) it only when the check needs a tool and there is no
valid entry yet. This module imports only ``os`` and ``sys`` at the top (``python -X importtime`` shows it).
"""

from __future__ import annotations

import os
import sys

TYPE_CHECKING = False
if TYPE_CHECKING:
    from ..driver.fastcache import ResolvedCc

# The choices of wasip2ld.check.context (MANGLING_CHOICES, TARGETS), repeated so that parsing imports nothing.
CHOICES = {
    "--mangling": ("mangling", ("auto", "legacy", "standard32")),
    "--target": ("target", ("auto", "component", "module")),
    "--format": ("fmt", ("text", "json")),
}


def parse(args: list[str]) -> dict[str, object] | None:
    """The parameters of ``run_check`` for ``wasip2ld check ARGS``, or None (let click parse it)."""
    params: dict[str, object] = {"mangling": "auto", "strict": False, "target": "auto", "fmt": "text"}
    positional: list[str] = []
    i = 0
    while i < len(args):
        arg = args[i]
        i += 1
        if arg == "--":
            positional += args[i:]
            break
        if not arg.startswith("-") or arg == "-":
            positional.append(arg)
            continue
        name, eq, value = arg.partition("=")
        if name == "--strict" and not eq:
            params["strict"] = True
            continue
        if name not in CHOICES:
            return None
        if not eq:
            if i >= len(args):
                return None
            value = args[i]
            i += 1
        param, choices = CHOICES[name]
        if value not in choices:
            return None
        params[param] = value
    if len(positional) != 1 or positional[0] in ("", "-"):
        return None
    params["module"] = positional[0]
    return params


def main(args: list[str]) -> int | None:
    """``wasip2ld check ARGS`` when ``parse`` reads them, else None."""
    params = parse(args)
    if params is None:
        return None
    from ..driver.entry import guarded

    params["module"] = click_path(params["module"])  # type: ignore[arg-type]
    params["toolchain"] = _cached_tools()
    return guarded(lambda: run_check(**params), "wasip2ld")  # type: ignore[arg-type]


def click_path(arg: str) -> str:
    """``str(pathlib.Path(arg))``, the name click's Path type gives the module (``./lib.wasm`` is
    ``lib.wasm`` in messages), without importing pathlib."""
    root = ("//" if arg[:2] == "//" and arg[:3] != "///" else "/") if arg.startswith("/") else ""
    return root + "/".join(part for part in arg.split("/") if part not in ("", ".")) or "."


def run_check(module: str | os.PathLike[str], *, mangling: str = "auto", strict: bool = False,
              target: str = "auto", fmt: str = "text", world: object | None = None,
              toolchain: object | None = None) -> int:  # fmt: skip
    """Check ``module`` (against ``world``, default: the one it carries), print the result; the exit status."""
    from ..errors import EXIT_INVALID
    from .api import check_module

    # Without a toolchain, the check discovers one when it needs a tool (the WASI p1 adapter, wasm-tools).
    result = check_module(module, world, mangling=mangling, strict=strict, target=target, toolchain=toolchain)  # type: ignore[arg-type]
    name = os.fspath(module)
    if fmt == "json":
        from .render import render_json

        sys.stdout.write(render_json(result, name))
    else:
        from .render import render_text

        sys.stdout.write(render_text(result, name, _c_source(module, result, toolchain) if result.diagnostics else None))
    sys.stdout.flush()
    return 0 if result.ok else EXIT_INVALID


def _c_source(module: str | os.PathLike[str], result: object, toolchain: object | None) -> object:
    """Declarations and source lines for a module clang built (whose producers section names C or C++)."""
    from ..wasm import read_module, read_module_file
    from ..wasm.metadata import languages
    from .api import opened

    with opened(module) as (data, path):
        built_by_clang = any(lang.startswith("C") for lang in languages(read_module(data, path)))
    if not built_by_clang:
        return None
    from .csource import c_source

    if toolchain is None:
        from .adapter import default_toolchain

        toolchain = default_toolchain()
    return c_source(module, read_module_file(module), result, toolchain)  # type: ignore[arg-type]


class _CachedTools:
    """The parts a check may need — the WASI p1 adapters, wasm-tools — from the compiler driver's cached
    toolchain resolution (``driver/fastcache.py``: keyed on everything discovery reads, checked against the
    files it looked at), which saves the discovery machinery's import. Without a valid entry, the first
    part asked for resolves it (and caches it for the next check, and compile); any other part, or one the
    resolution did not find, or a toolchain the driver cannot resolve (no clang), comes from a full
    discovery, as without it."""

    def __init__(self, paths: dict[str, str | None] | None) -> None:
        self._paths = paths
        self._discovered: object | None = None

    def get(self, name: str) -> object | None:
        path = self._resolved().get(name)
        return _Found(path) if path else self._discovery().get(name)  # type: ignore[attr-defined]

    def require(self, name: str, purpose: str | None = None) -> object:
        path = self._resolved().get(name)
        return _Found(path) if path else self._discovery().require(name, purpose)  # type: ignore[attr-defined]

    def path(self, name: str, purpose: str | None = None) -> object:
        return self.require(name, purpose).path  # type: ignore[attr-defined]

    def _resolved(self) -> dict[str, str | None]:
        if self._paths is None:
            from ..driver.fastcache import resolve
            from ..errors import Wasip2ldError

            try:
                self._paths = _check_parts(resolve())
            except Wasip2ldError:
                self._paths = {}
        return self._paths

    def _discovery(self) -> object:
        if self._discovered is None:
            from ..toolchain.discover import discover

            self._discovered = discover()
        return self._discovered


class _Found:
    """A part the cached resolution found. Its ``path`` is a string, not ``Part.path``'s ``Path``: the
    check's users of these parts take ``str()`` of it or pass it to ``Runner`` (and ``pathlib`` is not
    imported for them)."""

    def __init__(self, path: str) -> None:
        self.path = path


def _cached_tools() -> _CachedTools:
    from ..driver.fastcache import cached

    resolved = cached()
    return _CachedTools(None if resolved is None else _check_parts(resolved))


def _check_parts(resolved: ResolvedCc) -> dict[str, str | None]:
    return {
        "adapter-command": resolved.adapter_command,
        "adapter-reactor": resolved.adapter_reactor,
        "wasm-tools": resolved.wasm_tools,
    }  # type: ignore[dict-item]
