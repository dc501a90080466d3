"""`sig --format json`: the expected imports and exports as data (the schema is documented in docs/sig.md).

Memories have empty ``params``/``results``. ``needed_by`` appears on memory and realloc exports only.
"""

from __future__ import annotations

import json

from ..expected import ExpectedExport, ExpectedImport, ExpectedInterface

SCHEMA_VERSION = 1


def as_data(expected: ExpectedInterface) -> dict:
    return {
        "schema": SCHEMA_VERSION,
        "world": expected.world.id,
        "mangling": expected.mangling,
        "async_abi": expected.async_abi,
        "imports": [_import(i) for i in expected.imports],
        "exports": [_export(e) for e in expected.exports],
    }


def render_json(expected: ExpectedInterface) -> str:
    return json.dumps(as_data(expected), indent=2) + "\n"


def _import(i: ExpectedImport) -> dict:
    return {"module": i.module, "name": i.name, "params": list(i.sig.params), "results": list(i.sig.results),
            "wit": i.wit, "role": i.role}  # fmt: skip


def _export(e: ExpectedExport) -> dict:
    data = {
        "name": e.name,
        "kind": e.kind,
        "params": list(e.sig.params) if e.sig else [],
        "results": list(e.sig.results) if e.sig else [],
        "required": e.required,
        "wit": e.wit,
        "role": e.role,
    }
    if e.role in ("memory", "realloc"):
        data["needed_by"] = list(e.needed_by)
    return data
