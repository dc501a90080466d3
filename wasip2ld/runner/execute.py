"""Run a wasm file under wasmtime (the Python embedding) and return the guest's exit code.

Three kinds of input:
- a WASI 0.2 component: instantiated with wasmtime's WASI 0.2 host and its ``wasi:cli/run`` export called;
- a WASI preview 1 module (every import from ``wasi_snapshot_preview1``): linked against the p1 host, ``_start``;
- any other core module, e.g. a ``--module`` build target that carries its WIT world: componentized first
  (``wasm-tools component new`` into a temporary directory; with the WASI p1 command adapter only if the
  module imports ``wasi_snapshot_preview1``), then run as a component; the component is kept in the user
  cache dir (``componentcache``) for the next run of the same module.

Exit codes: WASI 0.2's ``wasi:cli/exit.exit`` only carries ok/err, so a component exits 0 or 1; a p1 module
keeps its full ``proc_exit`` code. A trap becomes exit code 134, like an abort of a native program.
"""
from __future__ import annotations

import re
import sys
import threading
from pathlib import Path

from ..errors import UsageError, Wasip2ldError
from . import interrupt
from .spec import RunSpec

TYPE_CHECKING = False
if TYPE_CHECKING:
    from ..proc import Runner

P1_MODULE = "wasi_snapshot_preview1"
RUN_INTERFACE = "wasi:cli/run@0.2.0"
EXIT_TRAP = 134  # 128 + SIGABRT: what a shell reports for a native program that aborted

SLOW_COMPILE_NOTE_AFTER = 1.5  # seconds of wasmtime compilation before `run` says what it is doing

_COMPONENT_VERSION = b"\x0d\x00\x01\x00"
_MODULE_VERSION = b"\x01\x00\x00\x00"


DEEP_RECURSION_HINT = ("the calls nested deeper than the engine's own call stack allows (wasmtime's limit, not the "
                       "program's stack: -Wl,-z,stack-size does not change it); look for runaway recursion")


class GuestTrapped(Wasip2ldError):
    """The guest program trapped (``abort()``, an out-of-bounds access, ``unreachable``, stack overflow)."""

    exit_code = EXIT_TRAP


def wasm_kind(path: Path) -> str:
    """``component`` or ``module``; a UsageError for anything that is not a wasm binary."""
    from ..inputs import open_input

    with open_input(path, what="a .wasm file") as handle:
        head = handle.read(8)
    if head[:4] != b"\0asm":
        raise UsageError(f"{path}: not a WebAssembly binary (no \\0asm header)",
                         hint="pass the .wasm file the build produced (a component or a core module)")
    if head[4:8] == _COMPONENT_VERSION:
        return "component"
    if head[4:8] == _MODULE_VERSION:
        return "module"
    raise UsageError(f"{path}: unsupported WebAssembly binary version {head[4:8].hex()}",
                     hint="wasip2ld run handles core modules (version 1) and components (layer 1)")


def run_wasm(spec: RunSpec, *, runner: Runner | None = None, adapter: Path | None = None,
             wasm_tools: Path | None = None) -> int:
    """Run ``spec`` to completion and return the guest's exit code. ``adapter``/``wasm_tools`` are only
    needed (and looked up when None) for core modules that are not plain WASI p1 programs."""
    wasmtime = _import_wasmtime()
    kind = wasm_kind(spec.wasm)
    engine = _engine(wasmtime)
    sys.stdout.flush()
    sys.stderr.flush()
    if kind == "component":
        return _run_component(wasmtime, engine, spec, spec.wasm)
    from . import componentcache

    tools = componentcache.cached_tools() if adapter is None and wasm_tools is None else None
    key = componentcache.entry_key(_read(spec.wasm), tools) if tools is not None else None
    cached = componentcache.load(key) if key is not None else None
    if cached is not None:  # only modules that are not plain p1 programs are ever stored
        return _run_component(wasmtime, engine, spec, cached)
    module = _load(wasmtime, spec.wasm, lambda: wasmtime.Module.from_file(engine, str(spec.wasm)))
    # A module build target of a trivial program may import nothing: it is a p1 program only with `_start`.
    p1_only = all(imp.module == P1_MODULE for imp in module.imports)
    if p1_only and (module.imports or any(export.name == "_start" for export in module.exports)):
        return _run_p1(wasmtime, engine, spec, module)
    from ..leftovers import scratch_dir  # only here: its imports and proc's cost start-up time
    from ..proc import Runner

    needs_adapter = any(imp.module == P1_MODULE for imp in module.imports)
    if tools is not None:  # componentize with the tools the key names
        adapter, wasm_tools = tools.adapter, tools.wasm_tools
        if needs_adapter and adapter is None:
            key = None
    with scratch_dir("run") as tmp:
        component = Path(tmp) / (spec.wasm.stem + ".component.wasm")
        _componentize(spec.wasm, component, runner or Runner(), adapter, wasm_tools, needs_adapter)
        made = component.read_bytes()
        if key is not None:
            componentcache.store(key, made)
        return _run_component(wasmtime, engine, spec, made)


def _read(path: Path) -> bytes:
    from ..inputs import open_input

    with open_input(path, what="a .wasm file") as handle:
        return handle.read()


def _import_wasmtime():
    try:
        import wasmtime
    except ImportError:
        from ..errors import ToolchainError

        raise ToolchainError("wasmtime (Python package) not found (needed to run wasm)",
                             hint="run `pip install 'wasip2ld[run]'` (wasmtime's Python package)") from None
    return wasmtime


def _engine(wasmtime):
    config = wasmtime.Config()
    interrupt.configure(config)
    try:
        config.cache = True  # compiled code is reused across runs (ctest runs the same binary many times)
    except wasmtime.WasmtimeError:
        pass
    return wasmtime.Engine(config)


def _wasi_config(wasmtime, spec: RunSpec):
    config = wasmtime.WasiConfig()
    config.argv = spec.argv
    config.env = list(spec.env)
    config.inherit_stdin()
    config.inherit_stdout()
    config.inherit_stderr()
    for preopen in spec.dirs:
        config.preopen_dir(str(preopen.host), preopen.guest)
    return config


def _load(wasmtime, path: Path, compile_it):
    note = threading.Timer(SLOW_COMPILE_NOTE_AFTER, _note_slow_compile, (path,))
    note.daemon = True
    if _interactive():  # a person waiting; build systems and tests compare stderr and get no note
        note.start()
    try:
        return compile_it()
    except wasmtime.WasmtimeError as err:
        raise UsageError(f"{path}: wasmtime cannot compile it: {': '.join(_chain(str(err)))}",
                         hint=_compile_hint(str(err))) from None
    finally:
        note.cancel()


def _interactive() -> bool:
    return sys.stderr.isatty()


def _note_slow_compile(path: Path) -> None:
    sys.stderr.write(f"wasip2ld: note: compiling {path} to native code (once: later runs use wasmtime's "
                     "cache)…\n")
    sys.stderr.flush()


def _compile_hint(text: str) -> str:
    from ..wasm.features import engine_hint

    return engine_hint(text) or "check it with `wasm-tools validate`"


def _run_component(wasmtime, engine, spec: RunSpec, source: Path | bytes) -> int:
    """``source``: the component's file, or its bytes (a componentized module)."""
    from wasmtime import component

    comp = _load(wasmtime, spec.wasm, lambda: component.Component.from_file(engine, str(source))
                 if isinstance(source, Path) else component.Component(engine, source))
    store = _store(wasmtime, engine, spec)
    linker = component.Linker(engine)
    linker.add_wasip2()
    instance = _instantiate(wasmtime, engine, spec.wasm, lambda: linker.instantiate(store, comp))
    run_index = instance.get_export_index(store, RUN_INTERFACE)
    func = None
    if run_index is not None:
        func_index = instance.get_export_index(store, "run", run_index)
        func = instance.get_func(store, func_index) if func_index is not None else None
    if func is None:
        raise UsageError(f"{spec.wasm}: the component does not export `{RUN_INTERFACE}`: it is not a command",
                         hint="build the program with a `main` (a command), not as a library or reactor")
    result = _call(wasmtime, engine, spec.wasm, lambda: func(store))
    if isinstance(result, int):
        return result
    return 1 if getattr(result, "tag", "ok") == "err" else 0


def _run_p1(wasmtime, engine, spec: RunSpec, module) -> int:
    if not any(export.name == "_start" for export in module.exports):
        raise UsageError(f"{spec.wasm}: the module has no `_start` export: it is not a command",
                         hint="build the program with a `main` (a command), not as a library or reactor")
    store = _store(wasmtime, engine, spec)
    linker = wasmtime.Linker(engine)
    linker.define_wasi()
    instance = _instantiate(wasmtime, engine, spec.wasm, lambda: linker.instantiate(store, module))
    start = instance.exports(store)["_start"]
    code = _call(wasmtime, engine, spec.wasm, lambda: start(store))
    return code if isinstance(code, int) else 0


def _store(wasmtime, engine, spec: RunSpec):
    store = wasmtime.Store(engine)
    interrupt.arm(store)
    store.set_wasi(_wasi_config(wasmtime, spec))
    return store


def _call(wasmtime, engine, path: Path, call):
    """Run guest code: its result, or the exit code it asked for; Ctrl-C stops it (KeyboardInterrupt)."""
    with interrupt.watch(engine) as interrupted:
        try:
            return call()
        except wasmtime.ExitTrap as exit_trap:
            return exit_trap.code
        except (wasmtime.WasmtimeError, wasmtime.Trap) as err:
            if interrupted.is_set():
                raise KeyboardInterrupt from None
            raise _trapped(path, str(err)) from None


def _instantiate(wasmtime, engine, path: Path, instantiate):
    try:
        with interrupt.watch(engine) as interrupted:
            try:
                return instantiate()
            except (wasmtime.WasmtimeError, wasmtime.Trap):
                if interrupted.is_set():
                    raise KeyboardInterrupt from None
                raise
    except wasmtime.ExitTrap as exit_trap:  # a start function that exits
        raise GuestTrapped(f"{path}: exited with code {exit_trap.code} while starting") from None
    except (wasmtime.WasmtimeError, wasmtime.Trap) as err:
        raise UsageError(
            f"{path}: cannot instantiate: {': '.join(_chain(str(err)))}",
            hint="`wasip2ld run` provides the WASI 0.2 interfaces (wasi:cli, wasi:io, wasi:filesystem, "
                 "wasi:clocks, wasi:random, wasi:sockets); compose other imports in first with `wasm-tools compose`",
        ) from None


def _componentize(module: Path, out: Path, runner: Runner, adapter: Path | None, wasm_tools: Path | None,
                  needs_adapter: bool) -> None:
    """`component new`, with the WASI p1 command adapter only when the module imports WASI p1."""
    if (needs_adapter and adapter is None) or wasm_tools is None:
        from ..toolchain.discover import discover

        tc = discover()
        if needs_adapter:
            adapter = adapter or tc.path("adapter-command", "to run a core module that imports WASI p1")
        wasm_tools = wasm_tools or tc.path("wasm-tools", "to run a core module build target")
    adapt = ["--adapt", f"{P1_MODULE}={adapter}"] if needs_adapter else []
    runner.run([wasm_tools, "component", "new", module, *adapt, "-o", out], tool="wasm-tools component new",
               capture=True)


def _trapped(path: Path, text: str) -> GuestTrapped:
    frames = _backtrace_functions(text)
    where = f" (in {' <- '.join(frames[:4])})" if frames else ""
    cause = _cause(text)
    if cause == "out of bounds memory access" and frames:
        from .stackuse import stack_exhaustion

        use = stack_exhaustion(path.read_bytes(), frames)
        if use is not None:
            return GuestTrapped(
                f"{path}: the program trapped: it ran out of stack (its frames need {use.frames} bytes, the "
                f"stack is {use.stack} bytes; {cause}){where}",
                hint="link it with a bigger stack: -Wl,-z,stack-size=BYTES (wasip2ld's default is 8 MiB)",
            )
    if cause == "call stack exhausted":
        return GuestTrapped(f"{path}: the program trapped: {cause}{where}", hint=DEEP_RECURSION_HINT)
    return GuestTrapped(
        f"{path}: the program trapped: {_cause(text)}{where}",
        hint="set WASMTIME_BACKTRACE_DETAILS=1 and build with -g for file:line frames",
    )


def _chain(text: str) -> list[str]:
    """Every layer of a wasmtime error chain, outermost first (``Caused by:`` entries lose their number)."""
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    return [re.sub(r"^\d+: ", "", line) for line in lines if line != "Caused by:"]


def _cause(text: str) -> str:
    """The innermost reason of a wasmtime error chain (the last line under ``Caused by:``)."""
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    if "Caused by:" in lines:
        after = lines[lines.index("Caused by:") + 1 :]
        if after:
            return re.sub(r"^\d+: ", "", after[-1]).removeprefix("wasm trap: ")
    return _first_line(text)


def _backtrace_functions(text: str) -> list[str]:
    frames = []
    for line in text.splitlines():
        _, sep, rest = line.partition(" - ")
        if sep and "!" in rest:
            frames.append(rest.rsplit("!", 1)[1].strip())
    return frames


def _first_line(text: str) -> str:
    return next((line.strip() for line in text.splitlines() if line.strip()), text)
