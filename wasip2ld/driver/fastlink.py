"""``wasip2-clang``'s link without a second Python process: clang links with wasm-ld itself (``-fuse-ld=lld``,
which gets exactly the command line clang would give wasip2ld's linker) into a scratch directory, and the
component or module-target step runs here, with the commands of ``pipeline`` (same arguments, hence
byte-identical outputs; tests/driver/test_fastlink.py compares both ways).

Starting wasip2ld's linker from clang costs a second interpreter start and the import of most of the
package, more than the link itself for a small program. So the common case is done here with a lean
module set (``spawn``, ``corefacts``), and everything else keeps the full linker: ``-v``, linker options of
wasip2ld's own in ``-Wl,``/``-Xlinker``, library outputs, a ``[build]`` table or delegation, WIT features,
legacy mangling, an output that is not a plain file path. Once clang has linked, any other turn (a failing
``wasm-tools``, a module without a world, standard32 names, code using proposals engines do not enable by
default, an encoding ``corefacts`` does not read) hands the linked module to the linker's own
``ld.finish``, whose diagnostics and exit codes apply.

Fast-path module: imports only os, sys and the other fast-path modules until it hands over.
"""

from __future__ import annotations

import os

from ..besideoutput import into_output, plain_output, sweep_beside
from ..subtools import path_arg
from . import corefacts, embedcache, ldflags, linkline, spawn
from .cc import ClangInvocation, link_output, redirect_output
from .fastcache import ResolvedCc

_ADAPTERS = ("command", "reactor", "proxy")
_FALLBACK_OWN = ("wit-features", "wit-all-features")


class LinkJob:
    """What one in-process link does."""

    __slots__ = ("env", "mode", "output", "wit", "world", "encoding", "mangling", "adapter")

    def __init__(
        self,
        *,
        output: str,
        mode: str,
        wit: str | None,
        world: str | None,
        encoding: str | None,
        adapter: str | None,
        mangling: str = "auto",
        env: dict[str, str] | None = None,
    ) -> None:
        self.output, self.mode, self.wit, self.world = output, mode, wit, world
        self.encoding, self.adapter, self.mangling = encoding, adapter, mangling
        self.env = env or {}

    @classmethod
    def for_invocation(cls, invocation: ClangInvocation, output: str) -> LinkJob:
        own = invocation.line.own
        return cls(
            output=output,
            mode="module" if own.get("module") else "component",
            wit=text_or_none(own.get("wit")),
            world=text_or_none(own.get("world")),
            encoding=text_or_none(own.get("string-encoding")),
            adapter=text_or_none(own.get("wasi-adapter")),
            mangling=str(own.get("mangling") or "auto"),
            env=invocation.env,
        )


def text_or_none(value: object) -> str | None:
    return value if isinstance(value, str) else None


def link(invocation: ClangInvocation, tc: ResolvedCc, overrides: dict[str, object] | None) -> int | None:
    """Link and return the exit code, or None when this case needs wasip2ld's linker."""
    job = plan(invocation, tc)
    if job is None:
        return None
    spawn.stop_on_termination()
    sweep_leftovers(job.output)
    scratch = scratch_dir()
    try:
        core = os.path.join(scratch, os.path.basename(job.output))
        argv = redirect_output(invocation.unlinked, invocation.line, core)
        assert argv is not None  # checked by plan()
        code = _link(job, [*argv, "-fuse-ld=lld", *invocation.libdirs], core)
        if code != 0:
            return 128 - code if code < 0 else code
        return complete(job, tc, core, scratch, overrides)
    finally:
        remove_tree(scratch)


def complete(
    job: LinkJob, tc: ResolvedCc, core: str, scratch: str, overrides: dict[str, object] | None
) -> int | None:
    """What follows wasm-ld's link into ``core`` (here, or in ``fastld``): the component or module-target step,
    or the linker's own ``ld.finish``; None when the linker must link again itself."""
    facts = corefacts.read_facts(core)
    if job.wit is not None and (facts is None or facts.lacks_main):
        return None  # no main: the linker decides whether the world makes it a reactor (``execmodel``)
    if _finish_here(job, tc, core, scratch, facts):
        return 0
    return _full_pipeline(job, core, scratch, overrides)


def _link(job: LinkJob, argv: list[str], core: str) -> int:
    """clang's link into ``core``: the wasm-ld command it would run, started directly when ``linkline``
    knows it (a failure goes back through clang, whose diagnostics are then shown), else clang itself."""
    env = _env(job)
    direct = linkline.command(argv, env, job.output, core)
    if direct is not None:
        try:
            code, stderr = spawn.run(direct, env=env, capture_stderr=True)
        except OSError:  # the linker vanished: clang reports it
            code, stderr = 1, b""
        if code == 0:
            if stderr:
                os.write(2, stderr)
            return 0
    return spawn.run(argv, env=env)[0]


def plan(invocation: ClangInvocation, tc: ResolvedCc) -> LinkJob | None:
    line = invocation.line
    if line.verbose or line.print_only or line.rewritten or not tc.wasm_tools or tc.build_defaults:
        return None
    if any(name in line.own for name in _FALLBACK_OWN) or line.own.get("mangling") == "legacy":
        return None
    if line.own.get("world") and not line.own.get("wit"):
        return None  # the linker looks for ./wit
    output = link_output(line)
    if output is None or not plain_output(output) or _linker_options(line.clang_args):
        return None
    if not plain_input(line.own.get("wit")):
        return None  # the linker reports a missing WIT, a FIFO or a device
    if redirect_output(invocation.unlinked, line, output) is None:
        return None
    return LinkJob.for_invocation(invocation, output)


def plain_input(path: object) -> bool:
    """Not a FIFO, device or socket (which must not reach wasm-tools; a missing file fails there)."""
    if not isinstance(path, str):
        return True
    try:
        mode = os.stat(path).st_mode
    except OSError:
        return True
    return mode & 0o170000 in (0o100000, 0o040000)


def _linker_options(args: list[str]) -> bool:
    """Whether linker arguments in ``args`` include one that wasip2ld's linker (not wasm-ld) acts on."""
    i = 0
    while i < len(args):
        arg = args[i]
        if arg in ("-Xlinker", "-z") and i + 1 < len(args):
            if arg == "-Xlinker" and ldflags.is_linker_option(args[i + 1]):
                return True
            i += 1
        elif arg.startswith("-Wl,") and any(ldflags.is_linker_option(a) for a in arg[4:].split(",")):
            return True
        elif arg in ldflags.LIBRARY_OUTPUT or arg == "--":
            return True
        i += 1
    return False


def _finish_here(
    job: LinkJob, tc: ResolvedCc, core: str, scratch: str, facts: corefacts.Facts | None
) -> bool:
    """The component or module-target step for the linked ``core`` (whose ``facts`` were read once); False
    when it must be left to ``pipeline`` (which also renames exports for standard32 and validates code using
    proposals engines do not enable by default)."""
    from ..wasm.features import ENABLED_BY_DEFAULT

    if facts is None or job.mangling == "standard32" or not ENABLED_BY_DEFAULT.issuperset(facts.features):
        return False
    wasm_tools = str(tc.wasm_tools)
    if job.mode == "module":
        return _module_target(job, wasm_tools, core, scratch, facts)
    if job.wit is not None:
        embedded = os.path.join(scratch, "embedded.wasm")
        if not _embed(job, wasm_tools, core, embedded):
            return False
        core = embedded
    adapt = _adapter_args(job, tc, facts)
    if adapt is None:
        return False
    new = [wasm_tools, "component", "new", core, *adapt]
    return into_output(job.output, lambda tmp: _wasm_tools([*new, "-o", tmp]))


def _module_target(job: LinkJob, wasm_tools: str, core: str, scratch: str, facts: corefacts.Facts) -> bool:
    if facts.p1_imports or not (job.wit or facts.carries_world):
        return False  # the pipeline's errors: WASI p1 imports, no world
    if facts.world_sections > 1:
        return False  # the pipeline keeps the one named world (wasi-libc's crt1 and libc both carry one)

    def build(tmp: str) -> bool:
        if job.wit is not None:
            if not _embed(job, wasm_tools, core, tmp):
                return False
        else:
            with open(core, "rb") as source, open(tmp, "wb") as target:
                target.write(source.read())
        return _wasm_tools([wasm_tools, "component", "new", tmp, "-o", os.path.join(scratch, "verdict.wasm")])

    return into_output(job.output, build)


def _embed(job: LinkJob, wasm_tools: str, core: str, out: str) -> bool:
    """`wasm-tools component embed`, or its cached section appended here (``embedcache``)."""
    assert job.wit is not None
    key = embedcache.key(wasm_tools, job.wit, job.world, job.encoding)
    section = embedcache.lookup(key) if key is not None else None
    with open(core, "rb") as f:
        module = f.read()
    if section is not None:
        with open(out, "wb") as f:
            f.write(module + section)
        return True
    argv = [wasm_tools, "component", "embed", path_arg(job.wit), core, "-o", out]
    if job.world:
        argv += ["--world", job.world]
    if job.encoding:
        argv += ["--encoding", job.encoding]
    if not _wasm_tools(argv):
        return False
    if key is not None:
        with open(out, "rb") as f:
            embedcache.remember(key, module, f.read())
    return True


def _adapter_args(job: LinkJob, tc: ResolvedCc, facts: corefacts.Facts) -> list[str] | None:
    """``--adapt`` for the WASI p1 adapter (``Pipeline.adapter_args``); None when the pipeline must
    report a missing adapter."""
    choice = job.adapter
    if not facts.p1_imports or choice == "none":
        return []
    if choice is None:
        choice = "command" if facts.exports_start else "reactor"
    if choice in _ADAPTERS:
        path = getattr(tc, f"adapter_{choice}")
    else:
        path = path_arg(choice) if os.path.isfile(choice) else None
    return ["--adapt", f"{corefacts.P1_MODULE}={path}"] if path else None


def _wasm_tools(argv: list[str]) -> bool:
    """Run wasm-tools; its warnings are shown on success, and a failure is left to the pipeline."""
    from ..subtools import memory_limit, out_of_memory, time_limit, timed_out

    limit = time_limit("wasm-tools")
    try:
        code, stderr = spawn.run(argv, capture_stderr=True, timeout=limit, memory=memory_limit("wasm-tools"))
    except spawn.TimedOut:
        assert limit is not None
        raise timed_out("wasm-tools", limit, argv) from None
    starved = out_of_memory("wasm-tools", code, stderr)
    if starved is not None:
        raise starved
    if code == 0 and stderr:
        os.write(2, stderr)
    return code == 0


def _full_pipeline(job: LinkJob, core: str, scratch: str, overrides: dict[str, object] | None) -> int:
    """The linked ``core`` through the linker's own ``ld.finish``; its errors read as the linker's."""
    from .entry import guarded

    return guarded(lambda: _finish_as_linker(job, core, scratch, overrides), "wasip2ld ld")


def _finish_as_linker(job: LinkJob, core: str, scratch: str, overrides: dict[str, object] | None) -> int:
    from pathlib import Path

    from ..config import load_settings
    from ..proc import Runner
    from ..toolchain.discover import discover
    from .ld import finish
    from .pipeline import ComponentOptions, Pipeline, WorldSpec

    overrides = overrides or {}
    settings = load_settings(
        toolchain=overrides.get("toolchain"),  # type: ignore[arg-type]
        roots=overrides.get("roots"),  # type: ignore[arg-type]
        tools=overrides.get("tools"),  # type: ignore[arg-type]
    )
    pipe = Pipeline(Runner(), discover(settings), Path(scratch))
    world = WorldSpec(
        wit=Path(job.wit) if job.wit else None,
        world=job.world if job.wit else None,
        string_encoding=job.encoding,
    )
    options = ComponentOptions(wasi_adapter=job.adapter, mangling=job.mangling)
    finish(pipe, Path(core), Path(job.output), mode=job.mode, world=world, options=options)
    return 0


def _env(job: LinkJob) -> dict[str, str]:
    env = dict(os.environ)
    env.update(job.env)
    return env


def sweep_leftovers(output: str) -> None:
    """What killed links left beside ``output`` and in TMPDIR (``wasip2ld.leftovers``): looked for with
    directory listings; the sweeping module is imported only when there is a candidate."""
    sweep_beside(output)
    tmpdir = os.environ.get("TMPDIR") or "/tmp"
    try:
        found = any(name.startswith("wasip2ld-ld-") for name in os.listdir(tmpdir))
    except OSError:
        return
    if found:
        from ..leftovers import sweep

        sweep(tmpdir, "wasip2ld-ld-")


def scratch_dir() -> str:
    base = os.environ.get("TMPDIR") or "/tmp"
    for _ in range(100):
        path = os.path.join(base, f"wasip2ld-ld-{os.getpid()}-{_token()}")
        try:
            os.mkdir(path, 0o700)
            return path
        except FileExistsError:
            continue
    raise FileExistsError(path)


def _token() -> str:
    return os.urandom(4).hex()


def remove_tree(path: str) -> None:
    for name in os.listdir(path):
        try:
            os.unlink(os.path.join(path, name))
        except OSError:
            pass
    try:
        os.rmdir(path)
    except OSError:  # something made a directory in it
        import shutil

        shutil.rmtree(path, ignore_errors=True)

