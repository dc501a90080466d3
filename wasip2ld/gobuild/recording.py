"""The full build's side of ``buildrecord``: which builds leave a record, the stamps of what they read, and
the `wasm-tools` commands the pipeline ran (``RecordingRunner``)."""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from ..proc import Runner
from ..toolchain.discover import Toolchain
from . import buildrecord
from .args import GoBuildArgs
from .golist import GoPackage, main_package

_GO_PARTS = ("go", "wasm-tools", "adapter-command", "adapter-reactor", "adapter-proxy")


class RecordingRunner:
    """A ``Runner`` that remembers the argv of every command it runs (as run: paths already made
    arguments)."""

    def __init__(self, runner: Runner) -> None:
        self.runner = runner
        self.ran: list[list[str]] = []

    def __getattr__(self, name: str) -> Any:
        return getattr(self.runner, name)

    def run(self, argv: Sequence[str | os.PathLike], **kwargs: Any) -> Any:
        result = self.runner.run(argv, **kwargs)
        self.ran.append([str(a) for a in result.args])
        return result


class BuildRecorder:
    """Collects what a record needs while the full build runs; ``stamps`` are taken before the inputs
    are read."""

    def __init__(self, key: bytes, tc: Toolchain, wit: Path | None) -> None:
        from ..driver.resolve import toolchain_stamps

        self.key = key
        self.stamps = [buildrecord.stamp(p) for p in toolchain_stamps(tc, ("go", "component"), _GO_PARTS)]
        if wit is not None:
            self._add_tree(wit)
        self.go: tuple[list[str], str, bytes] | None = None

    def _add_tree(self, path: Path) -> None:
        """``path`` and, for a directory, everything under it (the WIT package and its deps/)."""
        self.stamps.append(buildrecord.stamp(str(path)))
        if path.is_dir():
            for directory, subdirs, files in os.walk(path):
                subdirs.sort()
                self.stamps += [buildrecord.stamp(os.path.join(directory, n)) for n in (*subdirs, *files)]

    def add_listing(self, listed: tuple[GoPackage, ...] | None, args: GoBuildArgs) -> bool:
        """What `go list`'s answer (the main package, hence the output name and the overlay's target)
        depends on, if it ran: every go.mod, go.sum and go.work above the main package and above the
        directory go runs in. (Not its Go files: a change there that matters, such as its package clause,
        changes the module Go links.) False for a pattern (``./...``), whose matches new directories
        would change."""
        if listed is None:
            return True
        main = main_package(listed)
        if main is None or main.dir is None or any("..." in p for p in args.packages):
            return False
        for start in (main.dir, Path(args.go_flag("C") or ".").resolve()):
            for directory in (start, *start.parents):
                self.stamps += [buildrecord.stamp(str(directory / n)) for n in ("go.mod", "go.sum", "go.work")]
        return True

    def add_file(self, path: Path) -> None:
        self.stamps.append(buildrecord.stamp(str(path)))

    def linked(self, argv: list[str], link_dir: Path, core: bytes) -> None:
        self.go = ([str(a) for a in argv], str(link_dir), core)

    def remember(self, ran: list[list[str]], output: Path) -> None:
        """Store the record when the pipeline ran what ``warm`` replays: an optional `component embed`,
        then `component new` (whose input, still in the scratch directory, becomes the record's module)."""
        new = ran[-1] if ran else []
        embeds = [argv for argv in ran[:-1] if argv[1:3] == ["component", "embed"]]
        if self.go is None or new[1:3] != ["component", "new"] or len(embeds) != len(ran) - 1 or len(embeds) > 1:
            return
        if new[-2] != "-o" or "-o" in new[4:-2]:
            return
        go_argv, link_dir, core = self.go
        module = Path(new[3]).read_bytes()
        stamps = self.stamps + [buildrecord.stamp(path) for path in _own_sources()]
        buildrecord.remember(self.key, stamps, go_argv, link_dir, str(output), new[0], new[4:-2], core, module)


def _own_sources() -> list[str]:
    """The files of every wasip2ld module this build ran: a changed wasip2ld (an editable install, where
    the version stays the same) is a miss."""
    modules = [m for name, m in list(sys.modules.items()) if name == "wasip2ld" or name.startswith("wasip2ld.")]
    return [m.__file__ for m in modules if getattr(m, "__file__", None)]
