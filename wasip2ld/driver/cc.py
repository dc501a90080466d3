"""The compiler driver: clang with the wasm32-wasip2 target, the discovered sysroot and, for links, wasip2ld's
own linker (``-fuse-ld=…wasm-component-ld``), so clang assembles the link line (crt1, -lc, libc++,
compiler-rt) exactly as it would for wasm-component-ld.

The common case ends in ``os.execve`` of clang: exit codes, signals and output ordering are clang's own.
Only ``--dry-run``, ``-###`` links and rewritten response files keep Python in the loop (``ccshow``).
Fast-path module: no imports beyond ``os``/``sys`` and the other fast-path modules.
"""

from __future__ import annotations

import os
import sys

from . import ccargs, emulate, ldflags
from .fastcache import ResolvedCc, resolve

GUARD_ENV = "WASIP2LD_CC_ACTIVE"  # set for the clang we exec; seeing it on entry means a CC loop
VERBOSE_ENV = "WASIP2LD_VERBOSE"  # tells wasip2ld's linker (run by clang) to echo its sub-commands
_LINK_FLAGS = (
    "module",
    "component",
    "wit",
    "world",
    "mangling",
    "wasi-adapter",
    "string-encoding",
    "wit-features",
    "wit-all-features",
)
# Debian's libc++abi-N-dev-wasm32 (every suite, checked up to LLVM 23) is built without exception support, and
# no registry package ships one that has it.
NO_CXX_EXCEPTIONS = (
    "wasip2ld: note: Debian's libc++abi for wasm32 is built without C++ exception support: code that throws "
    "or catches will not link (undefined symbol __cxa_throw, __cxa_begin_catch, __cpp_exception); "
    "wasip2-clang++ builds with -fno-exceptions unless told otherwise (docs/driver.md, C++ exceptions)\n"
)
SJLJ_FLAGS = ("-mllvm", "-wasm-enable-sjlj", "-mllvm", "-wasm-use-legacy-eh=false")
_CXX_SUFFIXES = (".cc", ".cp", ".cpp", ".cxx", ".c++", ".C", ".CPP", ".ii", ".mm", ".cppm")


class ClangInvocation:
    """The clang command to run, its extra environment, and whether wasip2ld's linker is in it."""

    __slots__ = ("argv", "env", "libdirs", "line", "our_ld", "prefix_len", "unlinked")

    def __init__(
        self,
        argv: list[str],
        env: dict[str, str],
        our_ld: str | None,
        line: ccargs.CcCommandLine,
        prefix_len: int,
        unlinked: list[str] | None = None,
        libdirs: list[str] | None = None,
    ) -> None:
        self.argv, self.env, self.our_ld, self.line = argv, env, our_ld, line
        self.prefix_len = prefix_len  # argv[:prefix_len] is the compiler itself (`zig cc` is two words)
        # For a link by wasip2ld's linker, ``argv`` is ``unlinked`` + output protection + linker choice and
        # flags + ``libdirs`` (``fastlink`` assembles another link from the same parts).
        self.unlinked = unlinked or []
        self.libdirs = libdirs or []


def run(
    prog: str, args: list[str], *, cxx: bool | None = None, overrides: dict[str, object] | None = None
) -> int:
    """Compile and/or link like clang; returns an exit code (or never returns: exec)."""
    if os.environ.get(GUARD_ENV):
        raise _toolchain_error(
            f"{prog} was started by the clang it runs (CC loop: the clang that wasip2ld found is a wrapper "
            f"that calls {prog} again)",
            "point WASIP2LD_CLANG (or `--tool clang=PATH`) at a real clang, not at a wrapper such as "
            "wasip2-clang",
        )
    if "--help" in args or "-help" in args:
        from .cchelp import program_name, render

        sys.stdout.write(render(program_name(prog)))
        return 0
    args = ["--help" if arg == "--help-clang" else arg for arg in args]
    line = ccargs.scan(args)
    if line.linker_flags_only:
        # Like a native link of nothing, this fails, and writes no a.out: Meson probes linker flags this
        # way (`cc -Wl,--as-needed`) from the directory it runs in.
        raise _usage("no input files (only linker options were given)",
                     "name the objects or sources to link; `-Wl,--version` shows the linker")
    if line.own.get("bindgen") or line.own.get("bindgen-dir"):
        from .bindings import add_bindings

        add_bindings(line, overrides)
    if cxx is None:
        cxx = "++" in os.path.basename(prog) or (prog == "wasip2ld" and _has_cxx_source(line.clang_args))
    tc = resolve(overrides)
    if tc.cxx_include and line.enables_exceptions and line.has_inputs:
        sys.stderr.write(NO_CXX_EXCEPTIONS)
    invocation = plan(line, tc, cxx=cxx, default_target=default_target(prog))
    invocation.env.update(overrides_as_env(overrides))
    if line.own.get("dry-run") or (line.print_only and invocation.our_ld) or line.rewritten:
        from . import ccshow

        return ccshow.run_in_python(invocation)
    if invocation.our_ld:
        from . import fastlink

        code = fastlink.link(invocation, tc, overrides)
        if code is not None:
            return code
    return exec_clang(invocation)


def default_target(prog: str) -> str:
    """``wasm32-wasip1-clang`` (argv[0] masquerading) defaults to p1; every other name to p2."""
    return (
        ccargs.TARGET_P1
        if os.path.basename(prog).startswith(("wasm32-wasip1", "wasm32-wasi-"))
        else ccargs.TARGET_P2
    )


def normalize_triple(triple: str) -> str:
    """``wasm32-unknown-wasip2`` -> ``wasm32-wasip2``; ``wasm32-wasi`` -> ``wasm32-wasip1``."""
    parts = triple.split("-")
    if len(parts) == 3 and parts[1] == "unknown":
        parts = [parts[0], parts[2]]
    name = "-".join(parts)
    return ccargs.TARGET_P1 if name == "wasm32-wasi" else name


def plan(line: ccargs.CcCommandLine, tc: ResolvedCc, *, cxx: bool, default_target: str) -> ClangInvocation:
    target = choose_target(line, default_target)
    triple = normalize_triple(target)
    spelled = dict(entry.partition("=")[::2] for entry in tc.targets or ())  # triple -> the compiler's name
    if spelled and triple not in spelled and line.has_inputs:
        raise _toolchain_error(
            f"toolchain {tc.family} cannot build for {triple} (it supports {', '.join(spelled)})",
            "install clang + wasi-libc (`wasip2ld toolchain install`) or select another toolchain with "
            "--toolchain",
        )
    argv = list(tc.clangxx if cxx else tc.clang)
    prefix_len = len(argv)
    argv += _target_args(line, tc, spelled.get(triple) or target, triple)
    sjlj = _setjmp_library(line, tc, triple)
    if sjlj and line.has_sources:  # on a link of objects only, clang would warn that they are unused
        argv += SJLJ_FLAGS
    # clang rejects the link-only -mexec-model= when it does not link ("unsupported option"), so CFLAGS
    # holding it (CMAKE_C_FLAGS, autotools CFLAGS, both used for compiling and linking) would break every -c.
    argv += line.clang_args if line.links else [a for a in line.clang_args if not a.startswith("-mexec-model=")]
    argv += _emulation_args(line)
    if sjlj and line.links and not line.no_default_libs:
        argv.append("-lsetjmp")
    if line.links and line.has_inputs and triple in (ccargs.TARGET_P1, ccargs.TARGET_P2) and not (
        ldflags.sets_stack_size(line.clang_args) or ldflags.LIBRARY_OUTPUT.intersection(line.clang_args)
    ):
        argv.append(f"-Wl,-z,stack-size={ldflags.DEFAULT_STACK_SIZE}")  # see ldflags.DEFAULT_STACK_SIZE
    our_ld = None
    unlinked = argv
    libdirs = []
    if line.links:
        if triple == ccargs.TARGET_P2 and line.fuse_ld in (None, "ld"):
            our_ld = str(tc.ld)
            argv = [*protect_output(argv, line), f"-fuse-ld={our_ld}", *linker_flags(line.own)]
        else:
            _refuse_link_flags(line, triple)
        if tc.cxx_libdir and (cxx or any(arg.startswith("-lc++") for arg in line.clang_args)):
            libdirs.append(f"-L{tc.cxx_libdir}")
    env = {GUARD_ENV: "1"}
    if line.verbose:
        env[VERBOSE_ENV] = "1"
    return ClangInvocation([*argv, *libdirs], env, our_ld, line, prefix_len, unlinked, libdirs)


def _emulation_args(line: ccargs.CcCommandLine) -> list[str]:
    flag = line.own.get("emulate")
    text, origin = (flag, "--emulate") if isinstance(flag, str) else (os.environ.get(emulate.ENV), emulate.ENV)
    return emulate.clang_args(emulate.parse(text, origin), line.links) if text else []


def overrides_as_env(overrides: dict[str, object] | None) -> dict[str, str]:
    """`wasip2ld --toolchain/--wasi-sdk/--tool … cc` flags, as the environment variables that carry the same
    settings to wasip2ld's linker (which clang starts)."""
    env: dict[str, str] = {}
    if not overrides:
        return env
    if overrides.get("toolchain"):
        env["WASIP2LD_TOOLCHAIN"] = str(overrides["toolchain"])
    roots = overrides.get("roots") or {}
    if isinstance(roots, dict) and roots.get("wasi-sdk"):
        env["WASI_SDK_PATH"] = str(roots["wasi-sdk"])
    tools = overrides.get("tools") or {}
    for part, path in tools.items() if isinstance(tools, dict) else ():
        env["WASIP2LD_" + part.upper().replace("-", "_").replace("+", "X")] = str(path)
    return env


def choose_target(line: ccargs.CcCommandLine, default_target: str) -> str:
    """The user's --target, else --wasip1/--wasip2, else the default for the program's name."""
    own = ccargs.TARGET_P1 if line.own.get("wasip1") else ccargs.TARGET_P2 if line.own.get("wasip2") else None
    if line.target and own and normalize_triple(line.target) != own:
        raise _usage(f"--{own.split('-')[1]} conflicts with --target={line.target}", "keep one of them")
    return line.target or own or default_target


def _target_args(line: ccargs.CcCommandLine, tc: ResolvedCc, target: str, triple: str) -> list[str]:
    """--target, --sysroot and (for a libc++ outside the sysroot) its include directory."""
    args = [] if line.target else [f"--target={target}"]
    if not line.has_sysroot and triple in (ccargs.TARGET_P1, ccargs.TARGET_P2):
        sysroot = tc.sysroot_wasip2 if triple == ccargs.TARGET_P2 else tc.sysroot_wasip1
        if sysroot:
            args.append(f"--sysroot={sysroot}")
        elif line.has_inputs:
            raise _missing_sysroot(triple)
    if line.has_inputs and tc.cxx_include:
        args += ["-cxx-isystem", str(tc.cxx_include)]
        if not line.sets_exceptions:  # that libc++ (Debian's) is built without exception support
            args.append("-fno-exceptions")
    return args


def _setjmp_library(line: ccargs.CcCommandLine, tc: ResolvedCc, triple: str) -> bool:
    """setjmp/longjmp with no flags: wasi-libc's libsetjmp.a and LLVM's lowering of them to wasm exception
    handling (the standard encoding wasmtime runs). Code that does not call setjmp compiles to the same
    instructions (only its `target_features` section changes), and the archive adds nothing to its link."""
    if line.sets_wasm_eh or triple not in (ccargs.TARGET_P1, ccargs.TARGET_P2):
        return False
    sysroot = tc.sysroot_wasip2 if triple == ccargs.TARGET_P2 else tc.sysroot_wasip1
    return bool(sysroot) and os.path.isfile(os.path.join(sysroot, "lib", triple, "libsetjmp.a"))


def _refuse_link_flags(line: ccargs.CcCommandLine, triple: str) -> None:
    wanted = [name for name in _LINK_FLAGS if name in line.own]
    if wanted:
        why = f"-fuse-ld={line.fuse_ld} selects another linker" if line.fuse_ld else f"the target is {triple}"
        raise _usage(
            f"--{wanted[0]} needs wasip2ld's linker, but {why}", "drop it, or the -fuse-ld/--target flag"
        )


def protect_output(argv: list[str], line: ccargs.CcCommandLine) -> list[str]:
    """clang deletes the output of a failed link job, which would destroy an existing output file. So clang
    is told a placeholder (never written) and wasip2ld's linker the real name (``--final-output``, written
    atomically). ``-dumpdir``, ``-MF`` and ``-MQ`` keep what clang derives from ``-o`` (.dwo and .d file
    names, the depfile's target) what it would have been."""
    output = link_output(line)
    redirected = redirect_output(argv, line, f"{output}.wasip2ld-pending") if output else None
    if redirected is None:
        return argv
    return [*redirected, "-Xlinker", f"--final-output={output}"]


def link_output(line: ccargs.CcCommandLine) -> str | None:
    """The file the link writes, when it is a file named on the command line itself (or a.out)."""
    output = (
        line.output
        if line.output is not None
        else ("a.out" if not _has_output_flag(line.clang_args) else None)
    )
    return None if output == "-" else output


def redirect_output(argv: list[str], line: ccargs.CcCommandLine, elsewhere: str) -> list[str] | None:
    """``argv`` linking to ``elsewhere`` instead of ``link_output(line)``, with the names clang derives from
    ``-o`` unchanged; None when the output cannot be replaced (inside a response file, or ``-oX``)."""
    output = link_output(line)
    assert output is not None
    replaced = (
        ccargs.replace_output(argv, elsewhere) if line.output is not None else [*argv, "-o", elsewhere]
    )
    if replaced is None:
        return None
    extra = [] if line.has_dumpdir else ["-dumpdir", f"{output}-"]
    if line.dep_file_from_output:
        extra += ["-MF", os.path.splitext(output)[0] + ".d"]
    if line.dep_target_from_output:
        extra += ["-MQ", output]
    return [*replaced, *extra]


def _has_output_flag(args: list[str]) -> bool:
    return any(a.startswith(("-o", "--output")) for a in args)


def linker_flags(own: dict[str, str | bool]) -> list[str]:
    """wasip2ld's own flags, handed to its linker through clang (``-Xlinker`` keeps commas intact)."""
    flags: list[str] = []
    for name in _LINK_FLAGS:
        value = own.get(name)
        if value is True:
            flags += ["-Xlinker", f"--{name}"]
        elif isinstance(value, str):
            flags += ["-Xlinker", f"--{name}={value}"]
    return flags


def exec_clang(invocation: ClangInvocation) -> int:
    env = dict(os.environ)
    env.update(invocation.env)
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError):
            pass
    try:
        os.execve(invocation.argv[0], invocation.argv, env)
    except OSError as exc:
        raise _toolchain_error(
            f"cannot run {invocation.argv[0]}: {exc.strerror}", "run `wasip2ld doctor`"
        ) from None
    return 127  # not reached


def _has_cxx_source(args: list[str]) -> bool:
    return any(not a.startswith("-") and a.endswith(_CXX_SUFFIXES) for a in args)


def _missing_sysroot(triple: str):
    from ..toolchain.discover import missing_part_error

    part = "sysroot-wasip2" if triple == ccargs.TARGET_P2 else "sysroot-wasip1"
    return missing_part_error(part, f"to compile for {triple}")


def _usage(message: str, hint: str):
    from ..errors import UsageError

    return UsageError(message, hint=hint)


def _toolchain_error(message: str, hint: str):
    from ..errors import ToolchainError

    return ToolchainError(message, hint=hint)
