"""``wasip2ld ld``: a wasm-component-ld 0.5.27 replacement on wasip2ld's pipeline.

wasm-ld links into a scratch directory, then the result becomes a component (default) or a core module
carrying its world (``--module``); ``--skip-wit-component``, ``-shared`` and ``-r`` keep wasm-ld's output.
A real wasm-component-ld may be used instead (``--delegate``, ``WASIP2LD_DELEGATE=1`` or ``delegate = true``
in [build]) when the command line uses nothing wasip2ld-specific.
"""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass
from itertools import pairwise
from pathlib import Path

from ..atomic import check_output
from ..leftovers import scratch_dir
from .. import __version__
from ..config import Settings, load_settings
from ..errors import ConfigError, UsageError
from ..proc import Runner
from ..toolchain.discover import Toolchain, discover
from . import ldargs
from .ldargs import LdArgs
from .ldflags import COMPILER_RT_NAMES, DEFAULT_STACK_SIZE, sets_stack_size
from .pipeline import ComponentOptions, CoreFacts, Pipeline, WorldSpec

WASM_COMPONENT_LD_VERSION = "0.5.27"
VERBOSE_ENV = "WASIP2LD_VERBOSE"
DELEGATE_ENV = "WASIP2LD_DELEGATE"


@dataclass(frozen=True)
class BuildDefaults:
    """The ``[build]`` table of wasip2ld.toml, checked. Flags win over these."""

    wit: str | None = None
    world: str | None = None
    mode: str | None = None
    mangling: str | None = None
    wasi_adapter: str | None = None
    features: tuple[str, ...] = ()
    all_features: bool = False
    delegate: bool | None = None

    @classmethod
    def from_settings(cls, settings: Settings) -> BuildDefaults:
        build = settings.build
        where = str(settings.config_files[0]) if settings.config_files else "wasip2ld.toml"

        def text(key: str, choices: tuple[str, ...] | None = None) -> str | None:
            value = build.get(key)
            if value is None:
                return None
            if not isinstance(value, str) or (choices and value not in choices):
                expected = f"one of {', '.join(choices)}" if choices else "a string"
                raise ConfigError(where, f"[build] {key} must be {expected}, not {value!r}")
            return value

        features = build.get("features", ())
        if isinstance(features, str):
            features = tuple(f for f in features.split(",") if f)
        if not isinstance(features, (list, tuple)) or not all(isinstance(f, str) for f in features):
            raise ConfigError(where, "[build] features must be a list of WIT feature names")
        for key in ("all-features", "delegate"):
            if key in build and not isinstance(build[key], bool):
                raise ConfigError(where, f"[build] {key} must be true or false")
        return cls(
            wit=text("wit"),
            world=text("world"),
            mode=text("mode", ldargs.MODES),
            mangling=text("mangling", ("auto", "legacy", "standard32")),
            wasi_adapter=text("wasi-adapter"),
            features=tuple(features),
            all_features=bool(build.get("all-features", False)),
            delegate=build.get("delegate"),  # type: ignore[arg-type]
        )


def main(argv: list[str], *, overrides: dict[str, object] | None = None, runner: Runner | None = None) -> int:
    """Run the linker on ``argv`` (without the program name). Raises Wasip2ldError on failure. ``runner``
    replaces the default one (the compiler driver's ``-###`` passes a dry-run runner that quotes like
    clang)."""
    args = ldargs.parse(argv)
    if args.help:
        sys.stdout.write(HELP)
        return 0
    overrides = overrides or {}
    settings = load_settings(
        toolchain=overrides.get("toolchain"),
        roots=overrides.get("roots"),  # type: ignore[arg-type]
        tools=overrides.get("tools"),
    )  # type: ignore[arg-type]
    tc = discover(settings)
    if args.version:
        return print_version(args, tc)
    runner = runner or Runner(verbose=args.verbose or bool(os.environ.get(VERBOSE_ENV)), dry_run=args.dry_run)
    defaults = BuildDefaults.from_settings(settings)
    delegate = delegate_to(args, defaults, tc, runner)
    if delegate is not None:
        return run_delegated(delegate, args, tc, runner)
    link(args, defaults, tc, runner)
    return 0


_RELOCATABLE = {"-r", "--relocatable", "-relocatable"}  # an object file, not a program: mode 0644 like ld's


def link(args: LdArgs, defaults: BuildDefaults, tc: Toolchain, runner: Runner) -> None:
    assert args.output is not None
    if not runner.dry_run:
        check_output(args.output)
    out = Path(args.output)
    wasm_ld = [args.wasm_ld_path] if args.wasm_ld_path else tc.require("wasm-ld", "to link").argv
    lld_args = [*substitute_compiler_rt(args.lld_args, tc, runner), *args.append_lld_flags]
    if not args.library_output and not sets_stack_size(lld_args):
        lld_args += ["-z", f"stack-size={DEFAULT_STACK_SIZE}"]
    if args.verbose:
        lld_args.append("--verbose")
    mode = args.mode or defaults.mode or "component"
    with scratch_dir("ld") as work:
        pipe = Pipeline(runner, tc, Path(work))
        core = pipe.link_core(wasm_ld, lld_args, out.name)
        if args.skip_wit_component or args.library_output:
            pipe.copy_out(core, out, executable=not _RELOCATABLE.intersection(args.lld_args))
            return
        world = world_spec(args, defaults)
        if not runner.dry_run:
            core = relink_as_reactor_if_needed(pipe, wasm_ld, lld_args, core, world, tc, runner)
        mangling = args.mangling or defaults.mangling or "auto"
        options = ComponentOptions(
            wasi_adapter=args.wasi_adapter or defaults.wasi_adapter,
            adapters=args.adapters,
            reject_legacy_names=args.reject_legacy_names,
            realloc_via_memory_grow=args.realloc_via_memory_grow,
            merge_imports_based_on_semver=args.merge_imports_based_on_semver,
            validate=args.validate_component,
            mangling=mangling,
        )
        facts = guessed_facts(args) if runner.dry_run else None
        finish(pipe, core, out, mode=mode, world=world, options=options, facts=facts)


def finish(
    pipe: Pipeline,
    core: Path,
    out: Path,
    *,
    mode: str,
    world: WorldSpec,
    options: ComponentOptions,
    facts: CoreFacts | None = None,
) -> None:
    """A linked ``core`` -> the component or module target at ``out`` (also wasip2-clang's, after its own
    link: ``fastlink``)."""
    core = pipe.standard32_names(core, options.mangling)
    if mode == "module":
        pipe.module_target(core, out, world=world, mangling=options.mangling, facts=facts)
    else:
        pipe.componentize(core, out, world=world, options=options, facts=facts)


def relink_as_reactor_if_needed(pipe: Pipeline, wasm_ld: list[str], lld_args: list[str], core: Path,
                                world: WorldSpec, tc: Toolchain, runner: Runner) -> Path:
    """A main-less command for a world without ``wasi:cli/run`` becomes a reactor (see ``execmodel``)."""
    from .execmodel import reactor_link_args

    reactor_args = reactor_link_args(lld_args, core, world, tc, runner)
    if reactor_args is None:
        return core
    note(runner, "no main, and the world exports no wasi:cli/run: linking as a reactor (crt1-reactor.o)")
    return pipe.link_core(wasm_ld, reactor_args, core.name)


def world_spec(args: LdArgs, defaults: BuildDefaults) -> WorldSpec:
    wit = args.wit or defaults.wit
    world = args.world or defaults.world
    if world and not wit and not args.component_types:
        if Path("wit").is_dir():
            wit = "wit"
        else:
            raise UsageError(
                f"--world {world}: no WIT given to find it in",
                hint="pass --wit FILE_OR_DIR (or set `wit` in [build] of wasip2ld.toml, or keep the WIT "
                "in ./wit)",
            )
    return WorldSpec(
        wit=Path(wit) if wit else None,
        world=world if wit else None,
        component_types=tuple(Path(p) for p in args.component_types),
        string_encoding=args.string_encoding,
        features=args.wit_features or defaults.features,
        all_features=args.wit_all_features or defaults.all_features,
    )


def substitute_compiler_rt(lld_args: tuple[str, ...], tc: Toolchain, runner: Runner) -> list[str]:
    """clang names compiler-rt inside its own resource directory; when that file is missing but wasip2ld
    found compiler-rt elsewhere (``--tool compiler-rt=…``), link that one instead."""
    found = tc.get("compiler-rt")
    out: list[str] = []
    for arg in lld_args:
        if found is not None and os.path.basename(arg) in COMPILER_RT_NAMES and not os.path.exists(arg):
            note(runner, f"{arg} does not exist; using {found.path} ({found.source})")
            arg = str(found.path)
        out.append(arg)
    return out


def note(runner: Runner, text: str) -> None:
    """A remark for -v output, shaped like a shell comment between the echoed commands."""
    if runner.verbose or runner.dry_run:
        print(f"# {text}", file=runner.echo_to or sys.stderr, flush=True)


def guessed_facts(args: LdArgs) -> CoreFacts:
    """For --dry-run (nothing is linked): a reactor when clang asked for one, WASI p1 imports when a libc
    that still imports them is linked."""
    lld = list(args.lld_args)
    reactor = "--no-entry" in lld or any(pair == ("--entry", "_initialize") for pair in pairwise(lld))
    return CoreFacts(
        p1_imports=("fd_write",) if "-lc" in lld and not _p1_free_libc(lld) else (),
        exports_start=not reactor,
        carries_world=True,
    )


def _p1_free_libc(lld: list[str]) -> bool:
    """Whether the first ``-L`` directory with a wasm32-wasip2 ``libc.a`` holds a p1-free wasi-libc."""
    from ..toolchain.sysrootscan import scan_libdir

    for arg in lld:
        if arg.startswith("-L") and (Path(arg[2:]) / "libc.a").is_file():
            return scan_libdir(Path(arg[2:])).p1_free
    return False


def delegate_to(args: LdArgs, defaults: BuildDefaults, tc: Toolchain, runner: Runner):
    """The real wasm-component-ld to hand this link to, or None for wasip2ld's own pipeline."""
    wanted = args.delegate
    if wanted is None and os.environ.get(DELEGATE_ENV):
        wanted = os.environ[DELEGATE_ENV].lower() not in ("0", "false", "no", "off")
    if wanted is None:
        wanted = defaults.delegate
    if not wanted:
        return None
    from .resolve import is_wasip2ld_program

    part = tc.get("wasm-component-ld")
    reason = None
    if part is None or part.path is None:
        reason = "no wasm-component-ld was found"
    elif is_wasip2ld_program(part.path):
        reason = f"{part.path} is wasip2ld's own linker"
    elif args.uses_wasip2ld_extensions:
        reason = (
            "the command line uses wasip2ld-only options (--module, --wit, --world, --mangling, --dry-run)"
        )
    if reason is not None:
        note(runner, f"not delegating: {reason}; using wasip2ld's pipeline")
        return None
    return part


def run_delegated(part, args: LdArgs, tc: Toolchain, runner: Runner) -> int:
    """Hand the link to wasm-component-ld, writing into scratch space so the output stays atomic."""
    assert args.output is not None
    check_output(args.output)
    out = Path(args.output)
    with scratch_dir("ld") as work:
        scratch = Path(work) / out.name
        argv = [*part.argv, *wcl_argv(args, tc), "-o", str(scratch)]
        runner.run(argv, tool="wasm-component-ld")
        Pipeline(runner, tc, Path(work)).copy_out(scratch, out)
    return 0


def wcl_argv(args: LdArgs, tc: Toolchain) -> list[str]:
    """``args`` spelled for wasm-component-ld (without -o)."""
    argv = list(args.lld_args)
    wasm_ld = args.wasm_ld_path or (str(tc.path("wasm-ld", "to link")) if tc.get("wasm-ld") else None)
    if wasm_ld:
        argv += ["--wasm-ld-path", wasm_ld]
    for flag, value in (("--wasi-adapter", args.wasi_adapter), ("--string-encoding", args.string_encoding)):
        if value:
            argv.append(f"{flag}={value}")
    argv += [f"--adapt={spec}" for spec in args.adapters]
    argv += [f"--component-type={path}" for path in args.component_types]
    argv += [f"--append-lld-flag={flag}" for flag in args.append_lld_flags]
    for flag, on in (
        ("--skip-wit-component", args.skip_wit_component),
        ("--reject-legacy-names", args.reject_legacy_names),
        ("--realloc-via-memory-grow", args.realloc_via_memory_grow),
        ("-v", args.verbose),
    ):
        if on:
            argv.append(flag)
    for flag, value in (
        ("--validate-component", args.validate_component),
        ("--merge-imports-based-on-semver", args.merge_imports_based_on_semver),
    ):
        if value is not None:
            argv.append(f"{flag}={str(value).lower()}")
    return argv


def print_version(args: LdArgs, tc: Toolchain) -> int:
    """wasm-ld's own version first (build systems such as Meson look for "LLD" on a linker's first line),
    then wasip2ld's."""
    wasm_ld = (
        [args.wasm_ld_path] if args.wasm_ld_path else (tc.get("wasm-ld").argv if tc.get("wasm-ld") else None)
    )
    if wasm_ld:
        sys.stdout.flush()
        Runner().run([*wasm_ld, "--version"], tool="wasm-ld", check=False)
    line = f"wasip2ld ld {__version__} (compatible with wasm-component-ld {WASM_COMPONENT_LD_VERSION})\n"
    sys.stdout.write(line)
    return 0


HELP = f"""\
usage: wasip2ld ld [OPTIONS] [WASM-LD ARGUMENTS…] -o OUTPUT

A drop-in for wasm-component-ld {WASM_COMPONENT_LD_VERSION}: wasm-ld, then a WASI 0.2 component (default) or a
core module that carries its WIT world (--module). Every argument that is not listed here goes to wasm-ld
exactly as written and in order; @FILE response files and a leading `-flavor wasm` are accepted.

wasm-component-ld options:
  -o, --output FILE                 where to write the result (required)
  --final-output FILE               overrides -o (wasip2-clang passes clang a placeholder -o, so that clang's
                                    cleanup after a failed link cannot delete an existing output)
  --wasi-adapter command|reactor|proxy|none|FILE
                                    the WASI p1 adapter (default: command if _start is exported, else reactor;
                                    only added when wasi_snapshot_preview1 imports remain)
  --adapt [NAME=]MODULE             an extra adapter module (repeatable)
  --component-type WIT_FILE         embed this package's default world (repeatable)
  --string-encoding utf8|utf16|compact-utf16
                                    string encoding of the embedded world (default utf8)
  --skip-wit-component              write wasm-ld's core module as is (also implied by -shared and -r)
  --reject-legacy-names             accept only the cm32p2 (standard32) import/export names
  --realloc-via-memory-grow         adapters allocate with memory.grow instead of cabi_realloc
  --validate-component[=BOOL]       validate the final component
  --merge-imports-based-on-semver[=BOOL]
                                    merge imports that differ only by semver (default true)
  --wasm-ld-path PATH               the wasm-ld to run (clang passes this)
  --append-lld-flag FLAG            append FLAG to wasm-ld's command line (repeatable)
  --rsp-quoting STYLE               accepted for compatibility (response files use POSIX quoting)
  -v, --verbose                     print every sub-command (and pass --verbose to wasm-ld)
  -V, --version                     print versions (wasm-ld's, then wasip2ld's)
  -h, --help                        this text

wasip2ld options:
  --module / --component            core module build target / component (default; [build] mode)
  --wit FILE_OR_DIR                 the WIT package to embed ([build] wit)
  --world NAME                      the world in it ([build] world; ./wit is used if --wit is absent)
  --wit-features A,B / --wit-all-features
                                    enable @unstable WIT features
  --mangling auto|legacy|standard32 the name scheme the validator expects ([build] mangling)
  --delegate[=BOOL]                 use a real wasm-component-ld when one is installed ([build] delegate,
                                    WASIP2LD_DELEGATE)
  --dry-run                         print the sub-commands without running them

Exit status: wasm-ld's or wasm-tools' own on their failures, 1 when the module does not match its world,
2 for bad usage or a missing tool. See docs/driver.md.
"""
