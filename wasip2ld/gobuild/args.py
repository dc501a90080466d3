"""The command line of `wasip2ld go build`: wasip2ld's own flags, and everything else for `go build`.

Go's flags reach go unchanged and in order (``-flag=value`` and ``-flag value`` both work, with one or two
dashes). The only Go knowledge used here is which flags take their value as the next argument, so that value
is not mistaken for a package, and the few flags wasip2ld must see (``-o``, ``-buildmode``, ``-overlay``,
``-C``). wasip2ld's flags may appear anywhere; Go's flags are passed before the packages.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..errors import UsageError

MANGLINGS = ("auto", "legacy", "standard32")
MODES = ("component", "module")

_OWN_VALUE = {"wit", "world", "mangling", "wasi-adapter", "wit-features", "output"}
_OWN_SWITCHES = {"module", "component", "dry-run", "wit-all-features", "verbose", "help"}
# `go help build` + `go help buildflag`: the flags whose value may be the next argument.
GO_VALUE_FLAGS = frozenset({
    "C", "p", "covermode", "coverpkg", "asmflags", "buildmode", "compiler", "gccgoflags", "gcflags",
    "installsuffix", "ldflags", "mod", "modfile", "overlay", "pgo", "pkgdir", "tags", "toolexec", "o",
    "debug-actiongraph", "debug-runtime-trace", "debug-trace", "exec",
})  # fmt: skip
# Flags of `go build` that `go list` does not accept or that would change what it prints.
_NOT_FOR_LIST = frozenset({"o", "json", "n", "x", "v", "a", "work"})


@dataclass(frozen=True)
class GoFlag:
    """One Go flag as written (``words``: one or two arguments) and its name without dashes."""

    name: str
    words: tuple[str, ...]
    value: str | None


@dataclass(frozen=True)
class GoBuildArgs:
    go_flags: tuple[GoFlag, ...] = ()
    packages: tuple[str, ...] = ()
    output: str | None = None
    wit: str | None = None
    world: str | None = None
    mode: str | None = None
    mangling: str | None = None
    wasi_adapter: str | None = None
    wit_features: tuple[str, ...] = ()
    wit_all_features: bool = False
    verbose: bool = False
    dry_run: bool = False
    help: bool = False

    def go_flag(self, name: str) -> str | None:
        """The value of the last Go flag ``name`` (``-tags``, ``-buildmode``, …)."""
        values = [f.value for f in self.go_flags if f.name == name]
        return values[-1] if values else None

    def go_words(self, *, for_list: bool = False, without: tuple[str, ...] = ()) -> list[str]:
        """Go's flags as arguments, ``-C`` first (go insists); for ``go list`` without build-only ones."""
        skip = set(without) | (_NOT_FOR_LIST if for_list else set())
        flags = [f for f in self.go_flags if f.name not in skip]
        flags.sort(key=lambda f: f.name != "C")
        return [word for f in flags for word in f.words]


def parse_build_args(argv: list[str]) -> GoBuildArgs:
    """Split the arguments after `wasip2ld go build`."""
    own: dict[str, object] = {"wit-features": []}
    go_flags: list[GoFlag] = []
    packages: list[str] = []
    i = 0
    while i < len(argv):
        arg = argv[i]
        i += 1
        if not arg.startswith("-") or arg == "-":
            packages.append(arg)
            continue
        name, eq, value = arg.lstrip("-").partition("=")
        if arg in ("-h", "--help", "-help"):
            own["help"] = True
        elif arg in ("-v", "--verbose"):
            own["verbose"] = True
            go_flags.append(GoFlag("v", ("-v",), None))
        elif name in ("o", "output") and (arg.startswith("--") or name == "o"):
            if not eq:
                i = _need_value(argv, i, arg)
                value = argv[i - 1]
            own["output"] = value
        elif arg.startswith("--") and name in _OWN_VALUE:
            if not eq:
                i = _need_value(argv, i, arg)
                value = argv[i - 1]
            _store(own, name, value)
        elif arg.startswith("--") and name in _OWN_SWITCHES and not eq:
            own[name] = True
        elif name in GO_VALUE_FLAGS and not eq:
            i = _need_value(argv, i, arg)
            go_flags.append(GoFlag(name, (arg, argv[i - 1]), argv[i - 1]))
        else:
            go_flags.append(GoFlag(name, (arg,), value if eq else None))
    return _build(own, go_flags, packages)


def _need_value(argv: list[str], i: int, flag: str) -> int:
    if i >= len(argv):
        raise UsageError(f"{flag}: missing value", hint=f"write {flag} VALUE")
    return i + 1


def _store(own: dict[str, object], name: str, value: str) -> None:
    if name == "wit-features":
        own[name].extend(v for v in value.split(",") if v)  # type: ignore[union-attr]
    else:
        own[name] = value


def _build(own: dict[str, object], go_flags: list[GoFlag], packages: list[str]) -> GoBuildArgs:
    mangling = own.get("mangling")
    if mangling is not None and mangling not in MANGLINGS:
        raise UsageError(
            f"--mangling={mangling}: unknown name mangling", hint=f"use one of {', '.join(MANGLINGS)}"
        )
    if own.get("module") and own.get("component"):
        raise UsageError("--module and --component both given", hint="keep one of them")
    output = own.get("output")
    if output is not None and not str(output):
        raise UsageError("-o: empty file name", hint="pass -o FILE.wasm")
    return GoBuildArgs(
        go_flags=tuple(go_flags),
        packages=tuple(packages),
        output=output,  # type: ignore[arg-type]
        wit=own.get("wit"),  # type: ignore[arg-type]
        world=own.get("world"),  # type: ignore[arg-type]
        mode="module" if own.get("module") else "component" if own.get("component") else None,
        mangling=mangling,  # type: ignore[arg-type]
        wasi_adapter=own.get("wasi-adapter"),  # type: ignore[arg-type]
        wit_features=tuple(own["wit-features"]),  # type: ignore[arg-type]
        wit_all_features=bool(own.get("wit-all-features")),
        verbose=bool(own.get("verbose")),
        dry_run=bool(own.get("dry-run")),
        help=bool(own.get("help")),
    )
