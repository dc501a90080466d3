"""What the validator reports: ``Diagnostic`` (one problem, with the core item, the WIT item, expected and
found signatures and a hint) and ``CheckResult`` (every diagnostic for one module).

Every diagnostic kind has a stable ``code``; ``CODES`` lists them with a one-line summary, and
docs/diagnostics.md has an example of each. Codes never change meaning; new kinds get new codes.
"""

from __future__ import annotations

from ..frozen import frozen

TYPE_CHECKING = False  # not `typing`: `wasip2ld check` starts without importing it
if TYPE_CHECKING:
    from typing import Literal

    from ..wit.model import World

    Severity = Literal["error", "warning", "note"]

SEVERITIES: tuple[Severity, ...] = ("error", "warning", "note")

CODES: dict[str, str] = {
    "signature-mismatch": "an import or export has a different core type than the world's item lowers/lifts to",
    "missing-export": "a function the world exports is not exported by the module",
    "unknown-import": "an import names an interface of the world but an item it does not have",
    "unknown-interface": "an import's module is no interface (or world level) of the world",
    "invalid-import-name": "an import's module follows neither name scheme",
    "mangling-mismatch": "a name of the other scheme than the one `--mangling` asks for",
    "non-function-import": "an import of a table, memory, global or tag (only functions can be imported)",
    "adapter-only-import": "an import from `__main_module__`, which only adapters may use",
    "needs-p1-adapter": "`wasi_snapshot_preview1` imports: the WASI p1 adapter must provide them",
    "missing-memory": "no exported memory, though a used function passes data through memory",
    "missing-realloc": "no exported realloc, though a used function has the callee allocate",
    "multiple-memories": "more than one memory exported under a memory name, or `env::memory` imported twice",
    "invalid-builtin": "a built-in name wit-component parses but the component model rejects (context slot 2, …)",
    "context-type-mismatch": "context slots, stack-pointer or TLS accessors used with both i32 and i64",
    "missing-table": "`[thread-new-indirect-v0]` without an exported `__indirect_function_table`",
    "missing-callback": "an `[async-lift]` export without its `[callback][async-lift]` export",
    "unknown-export": "an export whose mangled name matches nothing in the world",
    "duplicate-export": "two exports with the same name (an invalid module)",
    "orphan-post-return": "(--strict) a post-return export without the export it belongs to",
    "mixed-mangling": "(--strict) both legacy and standard32 names in one module",
    "semver-compatible-import": "an import module on the same semver track as the world's interface",
}


@frozen
class Diagnostic:
    """One finding. ``core_item`` is ``module::name`` for an import, the name for an export; ``expected`` and
    ``found`` are core function types in WAT notation; ``offset`` is where the import/export entry is in the
    file."""

    severity: Severity
    code: str
    message: str
    core_item: str | None = None
    wit_item: str | None = None
    expected: str | None = None
    found: str | None = None
    hint: str | None = None
    notes: tuple[str, ...] = ()
    offset: int | None = None

    def as_dict(self) -> dict[str, object]:
        return {
            "severity": self.severity, "code": self.code, "message": self.message,
            "core_item": self.core_item, "wit_item": self.wit_item, "expected": self.expected,
            "found": self.found, "hint": self.hint, "notes": list(self.notes), "offset": self.offset,
        }  # fmt: skip


@frozen
class CheckResult:
    """The verdict on one module. ``mangling`` is the scheme its names use: ``legacy``, ``standard32`` or
    ``mixed`` (with no mangled names at all: the one asked for, ``legacy`` for ``auto``)."""

    path: str | None
    world: World
    mangling: str
    target: str
    strict: bool
    diagnostics: tuple[Diagnostic, ...] = ()

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def errors(self) -> tuple[Diagnostic, ...]:
        return tuple(d for d in self.diagnostics if d.severity == "error")

    @property
    def warnings(self) -> tuple[Diagnostic, ...]:
        return tuple(d for d in self.diagnostics if d.severity == "warning")

    def count(self, severity: Severity) -> int:
        return sum(1 for d in self.diagnostics if d.severity == severity)
