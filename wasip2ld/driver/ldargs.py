"""The linker's command line: wasm-component-ld 0.5.27's flags, wasip2ld's additions, and everything else
for wasm-ld.

wasm-component-ld sorts wasm-ld's flags through a table and re-spells them, which broke on `=` versus space
and on single-dash long flags, and rejects flags missing from its table. Here an argument that is not ours
reaches wasm-ld as written and in order, whatever it is. The only wasm-ld knowledge used: which flags take
their value as the next argument (so that value is not mistaken for one of ours), which accept only
`--flag=value` (their `--flag value` spelling, which wasm-component-ld accepts, is joined), and which make
the output a library.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..errors import UsageError
from . import rspfile
from .ccargs import MANGLINGS, STRING_ENCODINGS
from .ldflags import (
    BOOL_FLAGS,
    GNU_ONLY,
    LIBRARY_OUTPUT,
    LLD_JOINED_ONLY,
    LLD_SEPARATE,
    SHORT,
    SWITCHES,
    VALUE_FLAGS,
)

WASI_ADAPTERS = ("command", "reactor", "proxy", "none")
MODES = ("component", "module")

_TRUE, _FALSE = ("true", "yes", "1", "on"), ("false", "no", "0", "off")


@dataclass(frozen=True)
class LdArgs:
    """One linker invocation. ``lld_args`` are wasm-ld's, verbatim and in order (without ``-o``)."""

    output: str | None = None
    lld_args: tuple[str, ...] = ()
    append_lld_flags: tuple[str, ...] = ()
    wasm_ld_path: str | None = None
    verbose: bool = False
    version: bool = False
    help: bool = False
    wasi_adapter: str | None = None
    adapters: tuple[str, ...] = ()
    component_types: tuple[str, ...] = ()
    string_encoding: str | None = None
    skip_wit_component: bool = False
    reject_legacy_names: bool = False
    realloc_via_memory_grow: bool = False
    validate_component: bool | None = None
    merge_imports_based_on_semver: bool | None = None
    # wasip2ld's own
    mode: str | None = None
    wit: str | None = None
    world: str | None = None
    mangling: str | None = None
    wit_features: tuple[str, ...] = ()
    wit_all_features: bool = False
    delegate: bool | None = None
    dry_run: bool = False
    library_output: bool = False  # -shared / -r: wasm-ld's output is the result, never componentized

    @property
    def uses_wasip2ld_extensions(self) -> bool:
        """Options a delegated wasm-component-ld would not understand."""
        return bool(
            self.mode == "module"
            or self.wit
            or self.world
            or self.mangling
            or self.wit_features
            or self.wit_all_features
            or self.dry_run
        )


def parse(argv: list[str]) -> LdArgs:
    """Parse the linker's arguments (after program name): response files first, then ``-flavor wasm``."""
    args = rspfile.expand(argv) if rspfile.has_response_files(argv) else list(argv)
    if args[:2] == ["-flavor", "wasm"]:
        args = args[2:]
    values: dict[str, object] = {"adapt": [], "component-type": [], "append-lld-flag": [], "wit-features": []}
    lld: list[str] = []
    i = 0
    while i < len(args):
        arg = args[i]
        i += 1
        if arg == "--":
            lld += args[i - 1 :]
            break
        name, eq, value = arg[2:].partition("=") if arg.startswith("--") else ("", "", "")
        if arg in SHORT:
            values[SHORT[arg]] = True
        elif arg == "-o" or (
            arg.startswith("-o") and not arg.startswith("--") and len(arg) > 2 and arg not in LLD_SEPARATE
        ):
            if arg == "-o":
                i = _need_value(args, i, "-o")
                values["output"] = args[i - 1]
            else:
                values["output"] = arg[2:]
        elif name in VALUE_FLAGS:
            if not eq:
                i = _need_value(args, i, arg)
                value = args[i - 1]
            _store(values, name, value)
        elif name in BOOL_FLAGS:
            if eq:
                values[name] = _bool(arg, value)
            elif i < len(args) and args[i].lower() in _TRUE + _FALSE:
                values[name] = _bool(arg, args[i])
                i += 1
            else:
                values[name] = True
        elif name in SWITCHES and not eq:
            values[name] = True
        elif arg in GNU_ONLY:
            continue
        elif arg.lstrip("-") in LLD_JOINED_ONLY and arg.startswith("-") and i < len(args):
            lld.append(f"{arg}={args[i]}")
            i += 1
        else:
            lld.append(arg)
            if arg in LLD_SEPARATE and i < len(args):
                lld.append(args[i])
                i += 1
    return _build(values, lld)


def _need_value(args: list[str], i: int, flag: str) -> int:
    if i >= len(args):
        raise UsageError(f"{flag}: missing value", hint=f"write {flag} VALUE")
    return i + 1


def _store(values: dict[str, object], name: str, value: str) -> None:
    if name in ("adapt", "component-type", "append-lld-flag"):
        values[name].append(value)  # type: ignore[union-attr]
    elif name == "wit-features":
        values[name].extend(v for v in value.split(",") if v)  # type: ignore[union-attr]
    else:
        values[name] = value


def _bool(flag: str, text: str) -> bool:
    if text.lower() in _TRUE:
        return True
    if text.lower() in _FALSE:
        return False
    raise UsageError(f"{flag}: expected true or false, not `{text}`")


def _build(values: dict[str, object], lld: list[str]) -> LdArgs:
    if values.get("final-output") is not None:  # wasip2-clang's real -o (clang was given a placeholder)
        values["output"] = values["final-output"]
    encoding = values.get("string-encoding")
    if encoding is not None and encoding not in STRING_ENCODINGS:
        raise UsageError(
            f"--string-encoding={encoding}: unknown encoding",
            hint=f"use one of {', '.join(STRING_ENCODINGS)}",
        )
    mangling = values.get("mangling")
    if mangling is not None and mangling not in MANGLINGS:
        raise UsageError(
            f"--mangling={mangling}: unknown name mangling", hint=f"use one of {', '.join(MANGLINGS)}"
        )
    mode = "module" if values.get("module") else "component" if values.get("component") else None
    if values.get("module") and values.get("component"):
        raise UsageError("--module and --component both given", hint="keep one of them")
    result = LdArgs(
        output=values.get("output"),  # type: ignore[arg-type]
        lld_args=tuple(lld),
        append_lld_flags=tuple(values["append-lld-flag"]),  # type: ignore[arg-type]
        wasm_ld_path=values.get("wasm-ld-path"),  # type: ignore[arg-type]
        verbose=bool(values.get("verbose")),
        version=bool(values.get("version")),
        help=bool(values.get("help")),
        wasi_adapter=values.get("wasi-adapter"),  # type: ignore[arg-type]
        adapters=tuple(values["adapt"]),  # type: ignore[arg-type]
        component_types=tuple(values["component-type"]),  # type: ignore[arg-type]
        string_encoding=encoding,  # type: ignore[arg-type]
        skip_wit_component=bool(values.get("skip-wit-component")),
        reject_legacy_names=bool(values.get("reject-legacy-names")),
        realloc_via_memory_grow=bool(values.get("realloc-via-memory-grow")),
        validate_component=values.get("validate-component"),  # type: ignore[arg-type]
        merge_imports_based_on_semver=values.get("merge-imports-based-on-semver"),  # type: ignore[arg-type]
        mode=mode,
        wit=values.get("wit"),  # type: ignore[arg-type]
        world=values.get("world"),  # type: ignore[arg-type]
        mangling=mangling,  # type: ignore[arg-type]
        wit_features=tuple(values["wit-features"]),  # type: ignore[arg-type]
        wit_all_features=bool(values.get("wit-all-features")),
        delegate=values.get("delegate"),  # type: ignore[arg-type]
        dry_run=bool(values.get("dry-run")),
        library_output=any(arg in LIBRARY_OUTPUT for arg in lld),
    )
    if result.output is None and not (result.version or result.help):
        raise UsageError("no output file: -o/--output is required", hint="pass -o FILE.wasm")
    _refuse_unused_mode(result, lld)
    return result


def _refuse_unused_mode(args: LdArgs, lld: list[str]) -> None:
    """--module/--component say what to make of the linked module; with a library output or
    --skip-wit-component nothing is made of it, so the flag would be dropped without a word."""
    if args.mode is None:
        return
    what = next((arg for arg in lld if arg in LIBRARY_OUTPUT), None)
    what = what or ("--skip-wit-component" if args.skip_wit_component else None)
    if what:
        raise UsageError(
            f"--{args.mode} conflicts with {what} (the linked module is the output as it is)",
            hint=f"drop --{args.mode}, or {what}",
        )


def delegated_argv(argv: list[str]) -> list[str]:
    """The arguments for a real wasm-component-ld: ours minus ``--delegate``."""
    out: list[str] = []
    skip_next = False
    for i, arg in enumerate(argv):
        if skip_next:
            skip_next = False
            continue
        if arg == "--delegate" or arg.startswith("--delegate="):
            if arg == "--delegate" and i + 1 < len(argv) and argv[i + 1].lower() in _TRUE + _FALSE:
                skip_next = True
            continue
        out.append(arg)
    return out
