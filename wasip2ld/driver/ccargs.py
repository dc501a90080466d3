"""Reading a compiler command line just far enough to decide what wasip2ld adds to it.

Everything not listed here is clang's business and reaches clang unchanged and in order. This module is on
the compile fast path, so it imports nothing beyond ``os`` (no dataclasses, re or typing: each costs
milliseconds at startup); ``CcCommandLine`` is a plain slotted class for the same reason.
"""

from __future__ import annotations

TARGET_P2 = "wasm32-wasip2"
TARGET_P1 = "wasm32-wasip1"

# wasip2ld's own flags. Value flags take `--flag=value` or `--flag value`.
OWN_VALUE_FLAGS = frozenset(
    {"--wit", "--world", "--mangling", "--wasi-adapter", "--string-encoding", "--wit-features", "--bindgen-dir",
     "--emulate"}
)
OWN_SWITCHES = frozenset(
    {"--wasip2", "--wasip1", "--module", "--component", "--dry-run", "--wit-all-features", "--bindgen"}
)
MANGLINGS = ("auto", "legacy", "standard32")
STRING_ENCODINGS = ("utf8", "utf16", "compact-utf16")

# With any of these clang stops before linking (or never compiles at all).
_NO_LINK = frozenset(
    {
        "-c",
        "-S",
        "-E",
        "-fsyntax-only",
        "-M",
        "-MM",
        "--precompile",
        "-emit-ast",
        "--analyze",
        "--compile",
        "--assemble",
        "--preprocess",
        "-rewrite-objc",
        "-extract-api",
        "--version",
        "-help",
        "--help",
        "--help-hidden",
        "-dumpmachine",
        "-dumpversion",
        "-dumpspecs",
        "-fdriver-only",
    }
)
# Flags whose value is the next argument (when written without `=` or a joined value).
SEPARATE_VALUE = frozenset(
    {
        "-o",
        "-x",
        "-I",
        "-D",
        "-U",
        "-include",
        "-imacros",
        "-isystem",
        "-idirafter",
        "-iquote",
        "-isysroot",
        "-iprefix",
        "-iwithprefix",
        "-iwithprefixbefore",
        "-iwithsysroot",
        "-cxx-isystem",
        "-include-pch",
        "-MF",
        "-MT",
        "-MQ",
        "-MJ",
        "-L",
        "-l",
        "-target",
        "-arch",
        "-Xclang",
        "-Xlinker",
        "-Xpreprocessor",
        "-Xassembler",
        "-Xanalyzer",
        "-mllvm",
        "-u",
        "-z",
        "-T",
        "-e",
        "-F",
        "-B",
        "-dumpdir",
        "-dumpbase",
        "-dumpbase-ext",
        "-serialize-diagnostics",
        "-working-directory",
        "--sysroot",
        "--target",
        "-ivfsoverlay",
        "--output",
        "--language",
        "-resource-dir",
        "--param",
        "-aux-target",
        "-gcc-toolchain",
        "-A",
    }
)

LINK_ONLY_SUFFIXES = (".o", ".obj", ".lo", ".a", ".so", ".wasm")
# LLVM options that choose how wasm exceptions and setjmp/longjmp are lowered (each may be given only once).
_WASM_EH_OPTIONS = ("-wasm-enable-sjlj", "-wasm-use-legacy-eh", "-wasm-enable-emscripten-sjlj",
                    "-enable-emscripten-sjlj", "-wasm-enable-eh", "-enable-emscripten-cxx-exceptions")
# Linker options that ask instead of link: `clang -Wl,--version` is how build systems identify the linker.
_LINKER_QUERIES = frozenset({"--version", "--help"})

_EXCEPTION_FLAGS = frozenset(
    {
        "-fexceptions",
        "-fno-exceptions",
        "-fcxx-exceptions",
        "-fno-cxx-exceptions",
        "-fwasm-exceptions",
        "-fno-wasm-exceptions",
    }
)


class CcCommandLine:
    """What the driver needs to know about one compiler command line."""

    __slots__ = (
        "clang_args",
        "dep_file_from_output",
        "dep_target_from_output",
        "fuse_ld",
        "has_dumpdir",
        "has_inputs",
        "has_sources",
        "has_sysroot",
        "linker_flags_only",
        "links",
        "output",
        "own",
        "print_only",
        "rewritten",
        "sets_exceptions",
        "enables_exceptions",
        "sets_wasm_eh",
        "no_default_libs",
        "target",
        "verbose",
    )

    def __init__(self) -> None:
        self.clang_args: list[str] = []  # the command line without wasip2ld's own flags
        self.own: dict[str, str | bool] = {}  # own flag name (without dashes) -> value
        self.links = False  # clang would run the linker
        self.linker_flags_only = False  # it would link only -Wl/-Xlinker options: no input, no -l, no query
        self.has_inputs = False
        self.has_sources = False  # an input clang compiles (not only objects and archives to link)
        self.target: str | None = None  # the user's own --target
        self.has_sysroot = False
        self.fuse_ld: str | None = None
        self.verbose = False  # -v
        self.print_only = False  # -###
        self.rewritten = False  # own flags were inside response files: clang_args is the expanded line
        self.sets_exceptions = False  # -f[no-]exceptions, -f[no-]cxx-exceptions, -fwasm-exceptions
        self.enables_exceptions = False  # the last of those turns exceptions on
        self.sets_wasm_eh = False  # -mllvm -wasm-enable-sjlj / -wasm-use-legacy-eh / … given by the user
        self.no_default_libs = False  # -nostdlib, -nodefaultlibs
        self.output: str | None = None  # `-o X` / `--output[=]X`, when written in clang_args itself
        self.has_dumpdir = False
        self.dep_file_from_output = False  # -MD/-MMD without -MF: clang names the .d file after -o
        self.dep_target_from_output = False  # -MD/-MMD without -MT/-MQ: the rule's target is the -o name


def scan(args: list[str]) -> CcCommandLine:
    """Split ``args`` into wasip2ld's flags and clang's, and classify the invocation."""
    top_clang, top_own = _split_own(args)
    line = CcCommandLine()
    expanded = None
    if any(arg.startswith("@") for arg in args):
        from .rspfile import expand

        expanded = expand(args)
    if expanded is not None:
        exp_clang, exp_own = _split_own(expanded)
        if len(exp_own) != len(top_own):
            line.rewritten = True
            top_clang, top_own = exp_clang, exp_own
        _classify(exp_clang, line)
    else:
        _classify(top_clang, line)
    line.clang_args = top_clang
    line.own = _check_own(top_own)
    return line


def _split_own(args: list[str]) -> tuple[list[str], list[tuple[str, str | bool]]]:
    clang: list[str] = []
    own: list[tuple[str, str | bool]] = []
    i = 0
    while i < len(args):
        arg = args[i]
        name, eq, value = arg.partition("=")
        if arg in OWN_SWITCHES:
            own.append((arg, True))
        elif name in OWN_VALUE_FLAGS:
            if not eq:
                if i + 1 >= len(args):
                    raise _usage(f"{arg}: missing value", f"write {arg}=VALUE or {arg} VALUE")
                i += 1
                value = args[i]
            own.append((name, value))
        elif arg == "--":
            clang.extend(args[i:])
            break
        else:
            if arg.startswith("--") and (meant := _own_flag_meant(name)):
                raise _usage(f"{name}: unknown option", f"did you mean {meant}? (`wasip2-clang --help` lists "
                             "wasip2ld's own options)")
            clang.append(arg)
            if arg in SEPARATE_VALUE:
                if i + 1 >= len(args):  # it would swallow the flags wasip2ld appends
                    raise _usage(f"argument to '{arg}' is missing (expected 1 value)", f"write {arg} VALUE")
                clang.append(args[i + 1])
                i += 1
        i += 1
    return clang, own


def _classify(args: list[str], line: CcCommandLine) -> None:
    no_link = md = mf = mt = linker_inputs = libraries = queries = False
    i = 0
    while i < len(args):
        arg = args[i]
        value = args[i + 1] if i + 1 < len(args) else None
        if arg == "--":
            line.has_inputs = line.has_inputs or i + 1 < len(args)
            break
        if arg == "-" or not arg.startswith("-"):
            line.has_inputs = True
            line.has_sources = line.has_sources or not arg.endswith(LINK_ONLY_SUFFIXES)
        elif arg in _NO_LINK or arg.startswith(("-print-", "--print-")):
            no_link = True
        elif arg.startswith(("-l", "-Wl,")) or arg == "-Xlinker":
            linker_inputs = True  # clang links with only these (`clang -Wl,--version` is a common probe)
            libraries = libraries or arg.startswith("-l")
            linker_values = arg[4:].split(",") if arg.startswith("-Wl,") else [value or ""]
            queries = queries or any(v in _LINKER_QUERIES for v in linker_values)
        elif arg in ("-v", "--verbose"):
            line.verbose = True
        elif arg == "-###":
            line.print_only = True
        elif arg.startswith("--target="):
            line.target = arg[len("--target=") :]
        elif arg in ("-target", "--target") and value is not None:
            line.target = value
        elif arg.startswith("--sysroot=") or (arg == "--sysroot" and value is not None):
            line.has_sysroot = True
        elif arg.startswith("-fuse-ld="):
            line.fuse_ld = arg[len("-fuse-ld=") :]
        elif arg in _EXCEPTION_FLAGS:
            line.sets_exceptions = True
            line.enables_exceptions = not arg.startswith("-fno-")
        elif arg == "-mllvm" and value is not None and value.startswith(_WASM_EH_OPTIONS):
            line.sets_wasm_eh = True
        elif arg in ("-nostdlib", "-nodefaultlibs"):
            line.no_default_libs = True
        elif arg in ("-o", "--output") and value is not None:
            line.output = value
        elif arg.startswith("--output="):
            line.output = arg[len("--output=") :]
        elif arg == "-dumpdir" or arg.startswith("-dumpdir="):
            line.has_dumpdir = True
        elif arg in ("-MD", "-MMD"):
            md = True
        elif arg.startswith("-MF"):
            mf = True
        elif arg.startswith(("-MT", "-MQ")):
            mt = True
        if arg in SEPARATE_VALUE:
            i += 1
        i += 1
    line.links = (line.has_inputs or linker_inputs) and not no_link
    line.linker_flags_only = line.links and not line.has_inputs and not libraries and not queries
    line.dep_file_from_output = md and not mf
    line.dep_target_from_output = md and not mt


def replace_output(args: list[str], new: str) -> list[str] | None:
    """``args`` with the value of its (last) ``-o``/``--output`` replaced, or None if there is none to
    replace (it is inside a response file, or written ``-oX``)."""
    out = list(args)
    for i in range(len(out) - 1, -1, -1):
        if out[i] in ("-o", "--output") and i + 1 < len(out):
            out[i + 1] = new
            return out
        if out[i].startswith("--output="):
            out[i] = f"--output={new}"
            return out
    return None


def _check_own(pairs: list[tuple[str, str | bool]]) -> dict[str, str | bool]:
    own: dict[str, str | bool] = {}
    for flag, value in pairs:
        key = flag[2:]
        if key == "mangling" and value not in MANGLINGS:
            raise _usage(f"--mangling={value}: unknown name mangling", f"use one of {', '.join(MANGLINGS)}")
        if key == "string-encoding" and value not in STRING_ENCODINGS:
            raise _usage(
                f"--string-encoding={value}: unknown encoding", f"use one of {', '.join(STRING_ENCODINGS)}"
            )
        for pair in (("wasip1", "wasip2"), ("module", "component")):
            other = pair[1] if key == pair[0] else pair[0] if key == pair[1] else None
            if other in own:
                raise _usage(f"--{other} conflicts with --{key}", "keep one of them")
        own[key] = value
    if own.get("wasip1") and own.get("module"):
        raise _usage("--module needs the wasm32-wasip2 target, not --wasip1", "drop --wasip1 (or --module)")
    return own


def _own_flag_meant(name: str) -> str | None:
    """The wasip2ld flag that ``name`` (not one of them) is a typo of. No clang option is that close to one
    of ours, so clang's own options never match."""
    return flag_meant(name, OWN_SWITCHES | OWN_VALUE_FLAGS)


def flag_meant(name: str, flags: frozenset[str] | set[str]) -> str | None:
    """The one of ``flags`` that ``name`` (not one of them) is a typo of: one edit away, or two for a long
    flag; None when nothing is that close."""
    best: tuple[int, str] | None = None
    for flag in sorted(flags):
        if abs(len(flag) - len(name)) > 2:
            continue
        distance = _edits(name, flag)
        if (distance <= 1 or distance == 2 and len(flag) >= 9) and (best is None or distance < best[0]):
            best = (distance, flag)
    return best[1] if best else None


def _edits(a: str, b: str) -> int:
    """Edit distance with adjacent transpositions (optimal string alignment)."""
    before: list[int] = []
    previous = list(range(len(b) + 1))
    for i, char_a in enumerate(a, 1):
        current = [i]
        for j, char_b in enumerate(b, 1):
            cost = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (char_a != char_b))
            if i > 1 and j > 1 and char_a == b[j - 2] and a[i - 2] == char_b:
                cost = min(cost, before[j - 2] + 1)
            current.append(cost)
        before, previous = previous, current
    return previous[-1]


def _usage(message: str, hint: str):
    from ..errors import UsageError

    return UsageError(message, hint=hint)
