"""The exec model follows the world: a program without ``main``, linked as a command (clang's default) for a
world that exports no ``wasi:cli/run``, is relinked as a reactor.

A command whose ``main`` is missing still links (wasi-libc references ``main`` weakly; wasm-ld turns the
reference into a trapping ``undefined_weak:`` stub), so a forgotten ``-mexec-model=reactor`` would otherwise
give a command that traps, or a module target that does not match its world.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from ..proc import Runner
from ..toolchain.discover import Toolchain
from .pipeline import WorldSpec

RUN_INTERFACE = "wasi:cli/run@"


def reactor_link_args(
    lld_args: Sequence[str], core: Path, world: WorldSpec, tc: Toolchain, runner: Runner
) -> list[str] | None:
    """``lld_args`` with crt1-command.o replaced by crt1-reactor.o (entry ``_initialize``), when ``core`` was
    linked as a command, has no ``main`` and the world has no ``wasi:cli/run`` export; else None."""
    crt1 = next((i for i, arg in enumerate(lld_args) if Path(arg).name == "crt1-command.o"), None)
    if crt1 is None or not world.given or not _lacks_main(core):
        return None
    reactor = Path(lld_args[crt1]).with_name("crt1-reactor.o")
    if not reactor.is_file() or _world_exports_run(world, tc, runner):
        return None
    return [*lld_args[:crt1], str(reactor), "--entry", "_initialize", *lld_args[crt1 + 1 :]]


def _lacks_main(core: Path) -> bool:
    from .corefacts import read_facts

    facts = read_facts(str(core))
    return facts is not None and facts.lacks_main


def _world_exports_run(world: WorldSpec, tc: Toolchain, runner: Runner) -> bool:
    from ..wit import load_world

    worlds = [load_world(path, toolchain=tc, runner=runner) for path in world.component_types]
    if world.wit is not None:
        worlds.append(load_world(world.wit, world.world, world.features, world.all_features, toolchain=tc,
                                 runner=runner))
    return any(str(item.key).startswith(RUN_INTERFACE) for w in worlds for item in w.exports)
