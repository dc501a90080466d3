"""`wasip2ld go build`: Go's wasip1 port, then wasip2ld's pipeline, as one command.

    plan        the world decides the shape: a command (no world, a world without exports, or one that
                exports wasi:cli/run) or a reactor (-buildmode=c-shared) for a world exporting functions
    go list     the main package (where the adapter-arena overlay goes) and the sources to scan
    go build    GOOS=wasip1 GOARCH=wasm, into a scratch directory
    check       the built module against the world, reported at the Go directives (``diagnose``)
    edit        cabi_realloc_adapter over the arena, wasi:cli/run for a command world (``adapterfix``)
    finish      component: embed (a cached section when the world was embedded before), validate,
                `component new` with the adapter; module: embed, validate

Outputs are written atomically by the pipeline; nothing is left behind on failure.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import json
import os
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from ..leftovers import scratch_dir
from ..config import Settings
from ..driver.ld import BuildDefaults
from ..driver.pipeline import P1_MODULE, ComponentOptions, CoreFacts, Pipeline, WorldSpec
from ..atomic import check_output, is_stream, write_bytes_atomic
from ..errors import UsageError, ValidationFailed
from ..proc import Runner
from ..toolchain.discover import Toolchain
from ..wasm import CoreModule, read_module
from . import adapterfix
from .args import GoBuildArgs
from .golist import WASM_ENV, GoPackage, default_output_name, list_packages, main_package
from .reallocguard import guard_realloc
from .recording import RecordingRunner
from .warm import linked_here
from ..wasm.edit import ModuleEditor, standard32_exports

# The world's side (the ABI, the validator, Go-positioned diagnostics) is imported where a world or a
# mismatch needs it: a build without one does not pay for it at start-up.
TYPE_CHECKING = False
if TYPE_CHECKING:
    from ..abi.expected import ExpectedInterface
    from ..wit.model import World
    from .diagnose import GoDiagnostic, SourceIndex
    from .recording import BuildRecorder

SHAPES = ("command", "command-run", "reactor")
_PACKAGE = re.compile(r"^package\s+([A-Za-z_]\w*)")


class GoValidationFailed(ValidationFailed):
    """The built module does not match the world; ``diagnostics`` are ``GoDiagnostic``s."""


@dataclass(frozen=True)
class GoBuildResult:
    output: Path
    warnings: tuple[GoDiagnostic, ...] = ()


@dataclass(frozen=True)
class Plan:
    out: Path | None
    mode: str
    shape: str
    world_spec: WorldSpec
    world: World | None
    adapter: str | None
    mangling: str


def go_build(args: GoBuildArgs, settings: Settings, tc: Toolchain, runner: Runner,
             record_key: bytes | None = None) -> GoBuildResult:  # fmt: skip
    """Build ``args.packages`` into a component or a module build target; raises Wasip2ldError. With
    ``record_key``, a successful build leaves a ``buildrecord`` for ``warm`` under that key."""
    defaults = BuildDefaults.from_settings(settings)
    spec = world_spec(args, defaults)
    recorder = None
    if record_key is not None and not (runner.verbose or runner.dry_run or args.go_flag("overlay")):
        from .recording import BuildRecorder

        recorder = BuildRecorder(record_key, tc, spec.wit)  # the stamps before anything is read
    plan = make_plan(args, defaults, tc, spec)
    go = tc.require("go", "to build Go").argv
    info = PackageInfo(go, args, runner)
    out = plan.out or Path(default_output_name(info.main))
    if not runner.dry_run:
        check_output(out)
    if is_stream(out):  # standard output or a device: written into, never from a record
        recorder = None
    with scratch_dir("go") as work:
        pipe = Pipeline(runner if recorder is None else RecordingRunner(runner), tc, Path(work))
        arena = plan.mode == "component" and plan.adapter != "none"
        core, data = run_go_build(go, args, plan, info, Path(work), runner, arena=arena, recorder=recorder)
        warnings = check_and_edit(core, data, plan, info.source_index, out, tc, runner, arena=arena)
        finish(pipe, core, out, plan, runner)
        if recorder is not None and not warnings and recorder.add_listing(info.listed, args):
            recorder.remember(pipe.runner.ran, out)
    return GoBuildResult(out, tuple(warnings))


class PackageInfo:
    """What `go list` says about the build, asked only when needed: a build of one local directory with
    ``-o`` that succeeds never runs it."""

    def __init__(self, go: list[str], args: GoBuildArgs, runner: Runner) -> None:
        self.go, self.args, self.runner = go, args, runner
        self.listed: tuple[GoPackage, ...] | None = None

    @property
    def packages(self) -> tuple[GoPackage, ...]:
        if self.listed is None:
            self.listed = list_packages(self.go, self.args.go_words(for_list=True), self.args.packages, self.runner)
        return self.listed

    @property
    def main(self) -> GoPackage | None:
        return main_package(self.packages)

    def main_dir(self) -> Path | None:
        """The main package's directory: a single directory argument as written, else from `go list`."""
        given = self.args.packages
        if len(given) == 1 and given[0].startswith((".", "/")) and "..." not in given[0]:
            directory = Path(self.args.go_flag("C") or ".") / given[0]
            if directory.is_dir() and package_clause(directory) == "main":
                return directory.resolve()
        main = self.main
        return main.dir if main is not None else None

    def source_index(self) -> SourceIndex:
        return source_index(self.packages, self.main)


def make_plan(args: GoBuildArgs, defaults: BuildDefaults, tc: Toolchain, spec: WorldSpec) -> Plan:
    """What to build, from ``spec`` (``world_spec``) and the world it names."""
    world = None
    if spec.wit is not None:
        from ..wit import load_world

        world = load_world(
            spec.wit, spec.world, spec.features, spec.all_features, toolchain=tc, runner=Runner()
        )
    mode = args.mode or defaults.mode or "component"
    if mode == "module" and world is None:
        raise UsageError(
            "--module needs a WIT world",
            hint="pass --wit FILE_OR_DIR [--world NAME] (or set `wit`/`world` in [build])",
        )
    shape = _shape(world, args.go_flag("buildmode"))
    adapter = args.wasi_adapter or defaults.wasi_adapter
    if adapter == "command" and shape == "command-run":
        raise UsageError(
            f"--wasi-adapter=command: world {world.id if world else ''} exports wasi:cli/run, which wasip2ld "
            "adds to the Go module itself; the command adapter would export it a second time",
            hint="leave --wasi-adapter out (wasip2ld uses the reactor adapter for such worlds)",
        )  # fmt: skip
    if adapter is None:
        adapter = "command" if shape == "command" else "reactor"
    out = Path(args.output) if args.output else None
    return Plan(out, mode, shape, spec, world, adapter, args.mangling or defaults.mangling or "auto")


def world_spec(args: GoBuildArgs, defaults: BuildDefaults) -> WorldSpec:
    """Where the world comes from: --wit/--world, else [build], else ./wit for a --world."""
    wit = args.wit or defaults.wit
    world_name = args.world or defaults.world
    if world_name and not wit:
        if not Path("wit").is_dir():
            raise UsageError(f"--world {world_name}: no WIT given to find it in",
                             hint="pass --wit FILE_OR_DIR (or set `wit` in [build] of wasip2ld.toml, or keep the WIT in ./wit)")  # fmt: skip
        wit = "wit"
    return WorldSpec(wit=Path(wit) if wit else None, world=world_name if wit else None,
                     features=args.wit_features or defaults.features,
                     all_features=args.wit_all_features or defaults.all_features)  # fmt: skip


def _shape(world: World | None, buildmode: str | None) -> str:
    exports_run = world is not None and any(
        str(item.key).startswith("wasi:cli/run@") for item in world.exports
    )
    if buildmode is not None:
        return "reactor" if buildmode == "c-shared" else "command-run" if exports_run else "command"
    if world is None or not world.exports:
        return "command"
    return "command-run" if exports_run else "reactor"


def run_go_build(go: list[str], args: GoBuildArgs, plan: Plan, info: PackageInfo, work: Path, runner: Runner,
                 *, arena: bool, recorder: BuildRecorder | None) -> tuple[Path, bytes]:  # fmt: skip
    """`go build`, then a copy into ``work``: its path and content (empty for a dry run). With ``arena``
    the adapter-arena file is added to the main package."""
    core = work / "go-core.wasm"
    flags = args.go_words(without=("overlay",) if arena else ())
    packages = list(args.packages)
    if plan.shape == "reactor" and args.go_flag("buildmode") is None:
        flags.append("-buildmode=c-shared")
    if arena:
        overlay, extra_file = write_overlay(args, info, runner, recorder)
        flags.append(f"-overlay={overlay}")
        if extra_file:
            packages.append(extra_file)
    argv_tail = [*flags, *packages]
    data = b""
    with _stable_link_output(argv_tail, runner) as linked:
        argv = [*go, "build", *flags, "-o", str(linked), *packages]
        handed = None if runner.verbose or runner.dry_run else linked_here(argv)
        if handed is None:
            runner.run(argv, tool="go", env=WASM_ENV, show_env=WASM_ENV)
        if not runner.dry_run:
            data = handed if handed is not None else linked.read_bytes()
            core.write_bytes(data)
    if recorder is not None:
        recorder.linked(argv, linked.parent, data)
    return core, data


@contextlib.contextmanager
def _stable_link_output(argv_tail: list[str], runner: Runner):
    """Where `go build -o` writes: a path fixed by the directory and the arguments, so that Go finds its
    previous output up to date and skips the link (a fresh path costs a full link every time). A lock
    serialises concurrent builds of the same thing; the caller copies the result before editing it."""
    from ..driver.fastcache import cache_dir

    overlay_free = [w for w in argv_tail if not w.startswith("-overlay=")]
    key = hashlib.sha256("\0".join([os.getcwd(), *overlay_free]).encode("utf-8")).hexdigest()[:20]
    directory = Path(cache_dir()) / "go-link" / key
    if runner.dry_run:
        yield directory / "go-core.wasm"
        return
    directory.mkdir(parents=True, exist_ok=True)
    with open(directory / "lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        yield directory / "go-core.wasm"


def write_overlay(
    args: GoBuildArgs, info: PackageInfo, runner: Runner, recorder: BuildRecorder | None
) -> tuple[Path, str | None]:
    """The -overlay file: the user's own replacements plus wasip2ld's arena file in the main package.
    Returns it and, for a build of named .go files, the file argument to add."""
    source = _stable_overlay_source(runner)
    go_files = [p for p in args.packages if p.endswith(".go")]
    if go_files:
        target = os.path.join(os.path.dirname(go_files[0]), adapterfix.OVERLAY_FILE_NAME)
        target_abs = os.path.abspath(os.path.join(args.go_flag("C") or "", target))
    elif (main_dir := info.main_dir()) is not None:
        target = target_abs = str(main_dir / adapterfix.OVERLAY_FILE_NAME)
    elif runner.dry_run:
        target = target_abs = f"<main package dir>/{adapterfix.OVERLAY_FILE_NAME}"
    else:
        raise UsageError("go build: wasip2ld needs exactly one main package to build a component",
                         hint="name one `package main` (e.g. `wasip2ld go build -o app.wasm .`); --wasi-adapter=none skips this")  # fmt: skip
    replace = _user_overlay(args)
    replace[target_abs] = str(source)
    text = json.dumps({"Replace": replace}, indent=1)
    overlay = _stable_cache_file("go-overlay", text, "overlay.json", runner)
    if runner.verbose or runner.dry_run:
        runner.show([":", f"write {source} (adapter arena, package main) and {overlay}"])
    if recorder is not None:
        recorder.add_file(source)
        recorder.add_file(overlay)
    return overlay, target if go_files else None


def _stable_overlay_source(runner: Runner) -> Path:
    """The arena file at a path that depends only on its content: Go's build cache keys compile actions on
    the overlay's source path, so a fresh temporary path would recompile the main package on every build."""
    return _stable_cache_file("go-overlay", adapterfix.overlay_source(), adapterfix.OVERLAY_FILE_NAME, runner)


def _stable_cache_file(kind: str, text: str, name: str, runner: Runner) -> Path:
    """``text`` as the file ``name`` in the cache directory, at a path that depends only on the content
    (the overlay JSON too, so that a ``buildrecord``'s `go build` command line stays valid)."""
    from ..driver.fastcache import cache_dir

    digest = hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]
    path = Path(cache_dir()) / kind / digest / name
    if not runner.dry_run and not path.is_file():
        path.parent.mkdir(parents=True, exist_ok=True)
        write_bytes_atomic(path, text.encode("utf-8"))
    return path


def _user_overlay(args: GoBuildArgs) -> dict[str, str]:
    given = args.go_flag("overlay")
    if not given:
        return {}
    path = Path(args.go_flag("C") or ".") / given
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise UsageError(
            f"-overlay {given}: cannot read it ({exc})", hint="pass a JSON file with a Replace map"
        ) from None
    replace = data.get("Replace") if isinstance(data, dict) else None
    if not isinstance(replace, dict):
        raise UsageError(f'-overlay {given}: no "Replace" object', hint="see `go help build`, -overlay")
    return {str(k): str(v) for k, v in replace.items()}


def check_and_edit(core: Path, data: bytes, plan: Plan, sources: Callable[[], SourceIndex], out: Path,
                   tc: Toolchain, runner: Runner, *, arena: bool) -> list[GoDiagnostic]:  # fmt: skip
    """Add what the adapter and the world need to the built module (``data``, at ``core``), then check it
    against the world (raising GoValidationFailed with Go positions). Returns the warnings."""
    if runner.dry_run:
        added = [adapterfix.ADAPTER_REALLOC] if arena else []
        added += ["wasi:cli/run"] if plan.shape == "command-run" else []
        runner.show(
            [":", f"check {core} against the world" + (f"; add {' and '.join(added)}" if added else "")]
        )
        return []
    module = read_module(data, str(core))
    mangling = resolved_mangling(plan.mangling, module)
    expected = None
    if plan.world is not None:
        from ..abi.expected import expected_interface

        expected = expected_interface(plan.world, mangling)
    edited, edits = edit_module(data, plan, expected, mangling, out, arena=arena)
    diagnostics: list[GoDiagnostic] = []
    if plan.world is None:
        diagnostics = worldless_imports(module, sources)
    elif expected is not None:
        from ..check import check_module
        from .diagnose import go_diagnostics

        verdict = check_module(edited, plan.world, mangling=plan.mangling, target=plan.mode, toolchain=tc)
        diagnostics = go_diagnostics(verdict.diagnostics, expected, sources, display=str(out))
    errors = [d for d in diagnostics if d.severity == "error"]
    if errors:
        raise _failure(errors, diagnostics, plan, out)
    if runner.verbose and edits:
        runner.show([":", f"edit {core}: " + "; ".join(edits)])
    core.write_bytes(edited)
    return diagnostics


def edit_module(data: bytes, plan: Plan, expected: ExpectedInterface | None, mangling: str, out: Path, *,
                arena: bool) -> tuple[bytes, list[str]]:  # fmt: skip
    """The module with the adapter's allocator and clock guard (``arena``), the run export of a command
    world and standard32 export names; and a description of each edit for ``-v``."""
    editor = ModuleEditor(data)
    edits = []
    if arena and adapterfix.ADAPTER_REALLOC not in editor.export_names:  # the program may bring its own
        address = adapterfix.find_arena(data, str(out))
        adapterfix.add_adapter_realloc(editor, address)
        edits.append(f"{adapterfix.ADAPTER_REALLOC} over the arena at {address:#x}")
        guarded = guard_realloc(editor)
        if guarded.wrapped_exports:
            wrapped = ", ".join(guarded.wrapped_exports)
            edits.append(f"clock guard around {wrapped} ({guarded.guarded_thunks} clock call sites)")
    run_export = None
    if expected is not None and plan.shape == "command-run":
        from ..abi.formats.go import provides_run

        run_export = provides_run(expected)
    if run_export is not None:
        adapterfix.add_run_export(editor, run_export.name)
        edits.append(f"{run_export.name} calling _start")
    if mangling == "standard32":
        standard32_exports(editor)
    return editor.to_bytes(), edits


def worldless_imports(module: CoreModule, sources: Callable[[], SourceIndex]) -> list[GoDiagnostic]:
    """Without a world only the WASI adapter can provide imports: any other import is an error, reported at
    its directive."""
    foreign = [i for i in module.imports if i.module != P1_MODULE]
    if not foreign:
        return []
    from .diagnose import GoDiagnostic

    index = sources()
    found = []
    for imp in foreign:
        directive = index.import_directive(imp.module, imp.name)
        where = {"path": directive.path, "line": directive.line} if directive else {}
        subject = directive.directive_text if directive else f"import `{imp.module}::{imp.name}`"
        found.append(GoDiagnostic("error", f"{subject}: no WIT world was given, so nothing can provide this import",
                                  code="unknown-interface", **where))  # type: ignore[arg-type]  # fmt: skip
    return found


def _failure(
    errors: list[GoDiagnostic], diagnostics: list[GoDiagnostic], plan: Plan, out: Path
) -> GoValidationFailed:
    world = plan.world.id if plan.world else ""
    mismatches = [d for d in errors if d.code != "needs-p1-adapter"]
    if plan.world is None:
        return GoValidationFailed(f"{out}: the Go code imports functions no world provides", diagnostics,
                                  hint="pass --wit FILE_OR_DIR [--world NAME] with the world that declares them")  # fmt: skip
    if not mismatches:
        return GoValidationFailed(f"{out}: a Go program cannot be a module build target (its runtime needs WASI p1)",
                                  diagnostics, hint="drop --module to build a component")  # fmt: skip
    count = f"{len(mismatches)} problem{'s' if len(mismatches) > 1 else ''}"
    return GoValidationFailed(
        f"{out}: the Go code does not match world {world}: {count}", diagnostics, hint=_sig_hint(plan)
    )


def _sig_hint(plan: Plan) -> str:
    world = f" --world {plan.world_spec.world}" if plan.world_spec.world else ""
    return f"`wasip2ld sig --format go --wit {plan.world_spec.wit}{world}` prints every declaration the world expects"


def resolved_mangling(mangling: str, module: CoreModule) -> str:
    if mangling != "auto":
        return mangling
    names = [i.module for i in module.imports] + [e.name for e in module.exports]
    return "standard32" if any(n.startswith("cm32p2") for n in names) else "legacy"


def package_clause(directory: Path) -> str | None:
    """The package name in the first non-test Go file of ``directory`` (all its files share it)."""
    for path in sorted(directory.glob("*.go")):
        if path.name.endswith("_test.go"):
            continue
        try:
            with open(path, encoding="utf-8", errors="replace") as handle:
                for line in handle:
                    match = _PACKAGE.match(line)
                    if match:
                        return match.group(1)
        except OSError:
            continue
    return None


def source_index(packages: tuple[GoPackage, ...], main: GoPackage | None) -> SourceIndex:
    """Directives of every non-standard package, and ``func main`` (where a missing export is reported)."""
    from .diagnose import SourceIndex
    from .directives import scan_files

    directives = tuple(d for p in packages if not p.standard for d in scan_files(p.files))
    main_path, main_line = None, None
    if main is not None:
        for path in main.files:
            try:
                text = path.read_text(encoding="utf-8", errors="replace")
            except OSError:
                continue
            main_path = main_path or path
            main_line = main_line or 1
            found = text.find("\nfunc main()")
            if found >= 0:
                return SourceIndex(directives, path, text.count("\n", 0, found) + 2)
    return SourceIndex(directives, main_path, main_line)


def finish(pipe: Pipeline, core: Path, out: Path, plan: Plan, runner: Runner) -> None:
    """Embed, validate and wrap (component) or embed and validate (module). The validator already ran on the
    Go module, so `auto` names leave the verdict to wit-component alone."""
    mangling = plan.mangling
    facts = None
    if runner.dry_run:
        facts = CoreFacts(p1_imports=("fd_write",), exports_start=plan.shape != "reactor", carries_world=True)
    if plan.mode == "module":
        pipe.module_target(core, out, world=plan.world_spec, mangling=mangling, facts=facts)
        return
    # The validator enforced the name scheme on the Go module already; `component new` must still accept the
    # WASI adapter's legacy names, so --reject-legacy-names stays off.
    options = ComponentOptions(
        wasi_adapter=plan.adapter, mangling="auto" if plan.adapter != "none" else mangling
    )
    world = plan.world_spec
    if world.wit is not None and not (runner.verbose or runner.dry_run or world.features or world.all_features):
        core, world = embedded(pipe, core, world), WorldSpec()
    pipe.componentize(core, out, world=world, options=options, facts=facts)


def embedded(pipe: Pipeline, core: Path, world: WorldSpec) -> Path:
    """``core`` with ``world`` embedded: the section `component embed` appended the last time
    (``embedcache``: the same bytes), else a run of it."""
    from ..driver import embedcache

    assert world.wit is not None
    target = pipe.workdir / "embedded.wasm"
    key = embedcache.key(str(pipe.tc.path("wasm-tools", "to build components")), str(world.wit), world.world, None)
    data = core.read_bytes()
    section = embedcache.lookup(key) if key is not None else None
    if section is not None:
        target.write_bytes(data + section)
        return target
    pipe.embed_world(core, world, target)
    if key is not None:
        embedcache.remember(key, data, target.read_bytes())
    return target
