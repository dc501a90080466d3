"""The build pipeline after compilation, shared by the C/C++ linker and the Go driver:

    link_core      wasm-ld -> a core module (named like the final output: wasm-ld records the name)
    embed_world    `wasm-tools component embed` of a WIT world into a core module
    componentize   [embed] -> validate -> `wasm-tools component new` (+ the WASI p1 adapter) -> component
    module_target  embed -> validate -> a core module that carries its world (no component wrapping)

Every final file is written through ``atomic_output``; intermediates live in ``workdir``. With a dry-run
``Runner`` the commands are printed and nothing is read or written.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import sys
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from ..atomic import atomic_output
from ..errors import ToolchainError, ToolFailed, UsageError, ValidationFailed
from ..inputs import check_input
from ..proc import Runner
from ..toolchain.discover import Toolchain
from . import rspfile

P1_MODULE = "wasi_snapshot_preview1"
ADAPTER_NAMES = ("command", "reactor", "proxy", "none")


@dataclass(frozen=True)
class WorldSpec:
    """Where the world comes from. ``wit`` + ``world`` select one world (``wasm-tools component embed -w``);
    each of ``component_types`` contributes its package's default world (wasm-component-ld's
    ``--component-type``). Nothing given: the ``component-type`` sections the objects already carry."""

    wit: Path | None = None
    world: str | None = None
    component_types: tuple[Path, ...] = ()
    string_encoding: str | None = None
    features: tuple[str, ...] = ()
    all_features: bool = False

    @property
    def given(self) -> bool:
        return self.wit is not None or bool(self.component_types)


@dataclass(frozen=True)
class ComponentOptions:
    """How `component new` runs. ``wasi_adapter``: command | reactor | proxy | none | a file; None chooses
    command when the module exports ``_start``, else reactor. ``adapters`` are extra ``[NAME=]MODULE``."""

    wasi_adapter: str | None = None
    adapters: tuple[str, ...] = ()
    reject_legacy_names: bool = False
    realloc_via_memory_grow: bool = False
    merge_imports_based_on_semver: bool | None = None
    validate: bool | None = None
    mangling: str = "auto"


@dataclass(frozen=True)
class CoreFacts:
    """What the pipeline needs to know about a linked core module."""

    p1_imports: tuple[str, ...]
    exports_start: bool
    carries_world: bool
    features: tuple[str, ...] = ()  # from `target_features`: the proposals the code uses


def inspect_core(path: Path) -> CoreFacts:
    from ..wasm import read_module_file

    module = read_module_file(path)
    return CoreFacts(
        p1_imports=tuple(sorted({imp.name for imp in module.imports if imp.module == P1_MODULE})),
        exports_start=any(exp.name == "_start" and exp.kind == "func" for exp in module.exports),
        carries_world=bool(module.custom_sections("component-type")),
        features=_code_features(module),
    )


def _code_features(module) -> tuple[str, ...]:
    """The proposals the code uses. `exception-handling` counts only with tags: wasip2-clang compiles all C
    with setjmp/longjmp lowering enabled, which marks the feature even in code that never calls setjmp."""
    from ..wasm.features import used_features

    return tuple(f for f in used_features(module) if f != "exception-handling" or module.tags)


class Pipeline:
    """One build's sub-commands: a Runner (echo, dry-run), the toolchain and a scratch directory."""

    def __init__(self, runner: Runner, toolchain: Toolchain, workdir: Path) -> None:
        self.runner = runner
        self.tc = toolchain
        self.workdir = workdir

    # -- phases -----------------------------------------------------------------------------------------

    def link_core(self, wasm_ld: Sequence[str], lld_args: Sequence[str], output_name: str) -> Path:
        """Run wasm-ld; the core module is ``workdir/<output_name>``. Long command lines go through a
        response file."""
        core = self.workdir / output_name
        args = [*lld_args, "-o", str(core)]
        if rspfile.command_line_length([*wasm_ld, *args]) > rspfile.LONG_COMMAND_LINE:
            rsp = self.workdir / "wasm-ld.rsp"
            if not self.runner.dry_run:
                rsp.write_text(rspfile.render(args), encoding="utf-8", errors="surrogateescape")
            args = ["--rsp-quoting=posix", f"@{rsp}"]
        self.runner.run([*wasm_ld, *args], tool="wasm-ld")
        return core

    def embed_world(self, core: Path, spec: WorldSpec, out: Path) -> Path:
        """``out`` = ``core`` plus the world's ``component-type`` custom section(s)."""
        sources: list[tuple[Path, str | None]] = []
        if spec.wit is not None:
            sources.append((spec.wit, spec.world))
        sources += [(path, None) for path in spec.component_types]
        current = core
        for index, (wit, world) in enumerate(sources):
            self._require_wit(wit)
            target = out if index == len(sources) - 1 else self.workdir / f"embed-{index}.wasm"
            argv = [self._wasm_tools(), "component", "embed", wit, current, "-o", target]
            if world:
                argv += ["--world", world]
            if spec.string_encoding:
                argv += ["--encoding", spec.string_encoding]
            argv += _feature_args(spec)
            self._run_wasm_tools(argv, what="embed the WIT world", subject=wit)
            current = target
        return current

    def componentize(
        self,
        core: Path,
        out: Path,
        *,
        world: WorldSpec,
        options: ComponentOptions,
        facts: CoreFacts | None = None,
    ) -> None:
        """``core`` -> a component at ``out``: embed (if a world is given), then `component new`, validated
        (``validate``: the encoder's verdict, explained by the validator when it is no)."""
        from .validate import validate

        if world.given:
            core = self.embed_world(core, world, self.workdir / "embedded.wasm")
            facts = replace(facts, carries_world=True) if facts else None
        facts = facts or self.facts(core)
        self.check_code(core, facts, display=out)
        argv: list[str | Path] = [self._wasm_tools(), "component", "new", core]
        argv += self.adapter_args(facts, options)
        # Only on request: the WASI adapter and wasi-libc's own imports use legacy names even when the
        # program's world uses standard32 (the validator checks the program's names either way).
        if options.reject_legacy_names:
            argv.append("--reject-legacy-names")
        if options.realloc_via_memory_grow:
            argv.append("--realloc-via-memory-grow")
        if options.merge_imports_based_on_semver is not None:
            argv.append(
                f"--merge-imports-based-on-semver={str(options.merge_imports_based_on_semver).lower()}"
            )
        if options.validate:
            argv.append("--validate")
        inputs = ("the linked module", *(f"--adapt {spec}" for spec in options.adapters))
        with self.output(out) as tmp:
            validate(
                self,
                core,
                target="component",
                mangling=options.mangling,
                facts=facts,
                display=out,
                verdict=lambda: self._run_wasm_tools(
                    [*argv, "-o", tmp], what="make a component", subject=out, inputs=inputs
                ),
            )

    def module_target(
        self,
        core: Path,
        out: Path,
        *,
        world: WorldSpec,
        mangling: str = "auto",
        facts: CoreFacts | None = None,
    ) -> None:
        """``core`` -> a core module at ``out`` that carries its world, validated as a build target."""
        from .validate import validate

        facts = facts or self.facts(core)
        self.check_code(core, facts, display=out)
        if facts.p1_imports and not self.runner.dry_run:
            raise ValidationFailed(
                f"{out}: a module build target cannot import {P1_MODULE} "
                f"({', '.join(facts.p1_imports[:4])}{', …' if len(facts.p1_imports) > 4 else ''})",
                hint="they come from a library built for WASI p1, or from an older wasi-libc (stdio, files, "
                "clocks, exit): install the p1-free one with `wasip2ld toolchain install`, rebuild the library "
                "for wasm32-wasip2, or build a component (drop --module)",
            )
        if not world.given and not facts.carries_world:
            raise UsageError(
                f"{out}: --module needs a WIT world, and the linked objects carry none",
                hint="pass --wit FILE_OR_DIR [--world NAME] (or set `wit`/`world` in [build] of "
                "wasip2ld.toml)",
            )
        core = self.one_named_world(core)
        with self.output(out) as tmp:
            if world.given:
                self.embed_world(core, world, tmp)
                facts = replace(facts, carries_world=True)
            else:
                self._copy(core, tmp)
            validate(
                self,
                tmp,
                target="module",
                mangling=mangling,
                facts=facts,
                display=out,
                verdict=lambda: self.verdict(tmp, mangling=mangling, display=out),
            )

    def one_named_world(self, core: Path) -> Path:
        """``core`` without the ``component-type`` sections whose world another one contains (wasi-libc's
        ``wasi:cli/imports`` beside its crt1's ``wasi:cli/command``), so the module target carries that
        world by name."""
        if self.runner.dry_run:
            return core
        from ..wasm import read_module, without_custom_sections
        from ..wit.embedded import redundant_sections

        data = core.read_bytes()
        redundant = redundant_sections(data, path=str(core), toolchain=self.tc, runner=self.runner)
        if not redundant:
            return core
        pruned = self.workdir / "pruned" / core.name
        pruned.parent.mkdir(exist_ok=True)
        pruned.write_bytes(without_custom_sections(read_module(data, str(core)), frozenset(redundant)))
        return pruned

    def standard32_names(self, core: Path, mangling: str) -> Path:
        """Under ``--mangling standard32``, wasm-ld's ``memory`` and wasi-libc's ``_initialize`` exports
        take their standard32 names (``cm32p2_memory``, ``cm32p2_initialize``), so a module does not mix the
        two schemes; the edited module is a new scratch file."""
        from ..wasm.edit import ModuleEditor, standard32_exports

        if mangling != "standard32" or self.runner.dry_run:
            return core
        editor = ModuleEditor(core.read_bytes())
        if not standard32_exports(editor):
            return core
        renamed = self.workdir / "standard32" / core.name
        renamed.parent.mkdir(exist_ok=True)
        renamed.write_bytes(editor.to_bytes())
        if self.runner.verbose:
            print("# standard32 names for the memory/_initialize exports", file=self.runner.echo_to or sys.stderr)
        return renamed

    def copy_out(self, core: Path, out: Path, *, executable: bool = True) -> None:
        """The linked module itself is the result (--skip-wit-component, -shared, -r)."""
        with self.output(out, executable=executable) as tmp:
            self._copy(core, tmp)

    # -- helpers ----------------------------------------------------------------------------------------

    def facts(self, core: Path) -> CoreFacts:
        if self.runner.dry_run:  # nothing was linked: assume what a command with WASI calls would need
            return CoreFacts(p1_imports=("fd_write",), exports_start=True, carries_world=True)
        return inspect_core(core)

    def check_code(self, core: Path, facts: CoreFacts, *, display: Path) -> None:
        """`component new` does not validate function bodies: when the code uses a proposal that engines do
        not enable by default (legacy exceptions, threads, …), `wasm-tools validate` judges it before
        wasip2ld calls the output valid."""
        from ..wasm.features import ENABLED_BY_DEFAULT, engine_hint

        if self.runner.dry_run or all(feature in ENABLED_BY_DEFAULT for feature in facts.features):
            return
        result = self.runner.run([self._wasm_tools(), "validate", core], tool="wasm-tools",
                                 capture=True, check=False)
        if result.returncode == 0:
            return
        from .tooldiag import diagnose

        problem = diagnose(result.stderr, ("the linked module",)).problem
        raise ValidationFailed(
            f"{display}: the linked code is not valid WebAssembly for wasmtime: {problem}",
            hint=engine_hint(problem) or "`wasm-tools validate` names the function; build without the "
            "compiler flag that enabled this proposal",
        )

    @contextlib.contextmanager
    def output(self, out: Path, *, executable: bool = True) -> Iterator[Path]:
        """Where a linked result is written; programs and libraries get the executable mode, as natively."""
        if self.runner.dry_run:
            yield out
            return
        with atomic_output(out, executable=executable) as tmp:
            yield tmp

    def adapter_args(self, facts: CoreFacts, options: ComponentOptions) -> list[str]:
        """``--adapt`` arguments: the WASI p1 adapter when p1 imports remain (and no explicit adapter of that
        name was given), then the extra adapters."""
        args: list[str] = []
        explicit_names = {_adapter_name(spec) for spec in options.adapters}
        choice = options.wasi_adapter
        if facts.p1_imports and P1_MODULE not in explicit_names and choice != "none":
            if choice is None:
                choice = "command" if facts.exports_start else "reactor"
            path = (
                self.tc.path(f"adapter-{choice}", f"to adapt {P1_MODULE} imports")
                if choice in ADAPTER_NAMES
                else Path(choice)
            )
            if choice not in ADAPTER_NAMES and not path.is_file():
                raise UsageError(
                    f"--wasi-adapter={choice}: no such file",
                    hint=f"use one of {', '.join(ADAPTER_NAMES)} or an adapter .wasm file",
                )
            self._require_sound_adapter(path, choice)
            args += ["--adapt", f"{P1_MODULE}={path}"]
        for spec in options.adapters:
            args += ["--adapt", spec]
        return args

    def verdict(self, module: Path, *, mangling: str, display: Path) -> None:
        """`wasm-tools component new` into the scratch directory, only for its verdict on ``module``."""
        argv = [
            self._wasm_tools(),
            "component",
            "new",
            module,
            "-o",
            self.workdir / "verdict.wasm",
        ]
        if mangling == "standard32":
            argv.append("--reject-legacy-names")
        self._run_wasm_tools(argv, what="validate the module against its world", subject=display)

    def _wasm_tools(self) -> Path:
        return self.tc.path("wasm-tools", "to build components")

    def _run_wasm_tools(
        self, argv: list[str | Path], *, what: str, subject: Path, inputs: tuple[str, ...] = ()
    ) -> None:
        result = self.runner.run(argv, tool="wasm-tools", capture=True, check=False)
        if result.stderr and (result.returncode != 0 and self.runner.verbose or result.returncode == 0):
            os.write(2, result.stderr)  # warnings on success; the raw chain under -v
        if result.returncode != 0:
            raise _readable_failure(result.returncode, result.stderr, what, subject, inputs)

    def _require_sound_adapter(self, path: Path, choice: str) -> None:
        from ..toolchain.verify import adapter_problem

        problem = None if self.runner.dry_run else adapter_problem(path, deep=False)
        if problem:
            raise ToolchainError(
                f"the WASI adapter ({choice}) is unusable: {problem}",
                hint="run `wasip2ld toolchain install` to repair it (or pass --wasi-adapter FILE)"
                if choice in ADAPTER_NAMES
                else "pass a WASI p1 adapter module",
            )

    def _require_wit(self, wit: Path) -> None:
        if self.runner.dry_run:
            return
        if not wit.exists():
            raise UsageError(
                f"{wit}: no such WIT file or directory",
                hint="check --wit / --component-type (or `wit` in [build])",
            )
        check_input(wit, what="a WIT file or directory", directory_ok=True)

    def _copy(self, source: Path, target: Path) -> None:
        if self.runner.verbose or self.runner.dry_run:
            self.runner.show(["cp", str(source), str(target)])
        if not self.runner.dry_run:
            shutil.copyfile(source, target)


def _feature_args(spec: WorldSpec) -> list[str]:
    from ..wit.load import feature_args

    return feature_args(spec.features, spec.all_features)


def _adapter_name(spec: str) -> str:
    name, sep, _ = spec.partition("=")
    if sep:
        return name
    return os.path.basename(spec).split(".", 1)[0]


def _readable_failure(
    returncode: int, stderr: bytes | None, what: str, subject: Path, inputs: tuple[str, ...]
) -> Exception:
    if returncode < 0:
        return ToolFailed(
            "wasm-tools",
            128 - returncode,
            f"{subject}: cannot {what}: wasm-tools was killed (signal {-returncode})",
        )
    if stderr and b"--> " in stderr:  # a WIT syntax error: file:line:col and the source line, as `sig` says it
        from ..wit.load import invalid_wit_error

        wit = invalid_wit_error(subject, stderr)
        return ToolFailed("wasm-tools", returncode, f"{wit.message}", hint=wit.hint)
    from .tooldiag import diagnose  # only on failure: its patterns cost startup time

    diagnosis = diagnose(stderr, inputs)
    message = f"{subject}: cannot {what}: {diagnosis.problem}"
    if any("module was not valid" in layer or "failed to decode world" in layer for layer in diagnosis.chain):
        return ValidationFailed(message, hint=diagnosis.hint)
    return ToolFailed("wasm-tools", returncode, message, hint=diagnosis.hint)
