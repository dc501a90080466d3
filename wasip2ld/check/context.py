"""The state of one check: the module, the world's catalog, the options, and what the rules found so far."""

from __future__ import annotations

from ..abi.expected import ExpectedExport, ExpectedImport
from ..wasm import CoreModule, Export, Import
from .catalog import Catalog
from .diagnostic import Diagnostic

TYPE_CHECKING = False
if TYPE_CHECKING:
    from .catalog import Scheme

MANGLING_CHOICES = ("auto", "legacy", "standard32")
TARGETS = ("auto", "component", "module")


class Context:
    """What one check knows (a plain class, not a dataclass: `wasip2ld check` avoids importing
    ``dataclasses``)."""

    def __init__(self, module: CoreModule, catalog: Catalog, mangling: str = "auto", strict: bool = False,
                 target: str = "component", toolchain: object | None = None) -> None:  # fmt: skip
        self.module, self.catalog, self.mangling, self.strict = module, catalog, mangling, strict
        self.target, self.toolchain = target, toolchain
        self.diagnostics: list[Diagnostic] = []
        # imports
        self.used_imports: list[tuple[Import, ExpectedImport]] = []
        self.p1_imports: list[Import] = []
        # exports
        self.found_exports: dict[str, tuple[Export, ExpectedExport]] = {}
        self.memories: list[Export] = []
        self.extra_reallocs: list[Export] = []  # canonical_abi_realloc, cabi_import_realloc, …
        self.ignored_exports: list[Export] = []
        # which scheme each classified name used
        self.scheme_counts = {"legacy": 0, "standard32": 0}

    def add(self, diagnostic: Diagnostic) -> None:
        self.diagnostics.append(diagnostic)

    def accepts(self, scheme: Scheme) -> bool:
        return self.mangling in ("auto", scheme)

    def used(self, scheme: Scheme) -> None:
        self.scheme_counts[scheme] += 1

    @property
    def preferred(self) -> Scheme:
        """The scheme to name missing items in: the one asked for, else the one the module mostly uses."""
        if self.mangling in ("legacy", "standard32"):
            return self.mangling  # type: ignore[return-value]
        return "standard32" if self.scheme_counts["standard32"] > self.scheme_counts["legacy"] else "legacy"

    @property
    def detected_mangling(self) -> str:
        legacy, standard = self.scheme_counts["legacy"], self.scheme_counts["standard32"]
        if legacy and standard:
            return "mixed"
        if standard:
            return "standard32"
        if legacy or self.mangling == "auto":
            return "legacy"
        return self.mangling

    def exports_named(self, name: str) -> list[Export]:
        return [e for e in self.module.exports if e.name == name]
