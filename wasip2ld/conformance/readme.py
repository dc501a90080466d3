"""The README.md written into every exported suite: what is where, and how to score a checker."""

from __future__ import annotations

from collections import Counter
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .export import Case

_TEXT = """# WIT → core module conformance suite

Core WebAssembly modules ("build targets": modules whose imports and exports follow the Canonical ABI of
a WIT world) with the verdict a conforming checker must give each: **accept** when
`wasm-tools component new` (1.262) turns the module into a component, **reject** otherwise. Use it to test
anything that decides whether a module implements a world: a validator, a toolchain's linker, a core
engine's loader, a bindings generator's output.

{counts}

## Layout

* `index.json`: `format` (`{format}`), `generator`, `reference`, `worlds` and `cases`.
  * `worlds[]`: `slug`, `source` (`wasi-0.2.x`, `wasi-0.3.x` from jco's WIT, or `generated`), `world` (the
    world's id, `ns:pkg/name@version`), `name`, `wit` (its WIT package directory, dependencies under
    `deps/`) and `sig`: per variant, the expected core interface (`wasip2ld sig --format json`).
  * `cases[]`: `module` (a path under `accept/` or `reject/`), `world` (a slug), `variant` (the name
    scheme and async ABI the module was written for: `legacy`, `standard32`, `legacy-async-callback`,
    `legacy-async-stackful`), `category`, `label` (what the module is or what was changed), `verdict`
    (`accept`/`reject`) and `codes`: the diagnostic codes `wasip2ld check` reports for a rejected module
    (informative: a checker is scored on the verdict only).
* `worlds/<slug>/wit/`: the WIT package; `worlds/<slug>/sig-<variant>.json`: the expected interfaces.
* `accept/<slug>/*.wasm`, `reject/<slug>/*.wasm`: the modules. Each carries its world in a
  `component-type` custom section, as `wasm-tools component embed` writes it.

Categories: `canonical` (every import the world allows and every export it needs, under one variant),
`mutant/<kind>` (one change to a canonical module: `export-removed`, `export-param-retyped`,
`export-result-retyped`, `export-renamed`, `import-param-retyped`, `import-result-retyped`,
`module-renamed`, `module-version`, `memory`, `realloc`, `duplicate-import`, `unknown-export`),
`shape/<family>` (built-ins wit-component parses: `unit-payload`, `root-builtin`, `context`, `thread`,
and `memory` for imported memory) and `feature-gate` (a module written for the world
with its `@unstable` features on, checked against the world without them).

## Scoring a checker

A checker is a command that takes a module, the WIT package directory and the world id, and exits 0 to
accept the module and non-zero to reject it. For every case, run it and compare with `verdict`; the score
is the share of cases that agree, per category and overall. A checker must not read `index.json` or
the module's directory name.

With wasip2ld installed:

```
wasip2ld conformance run . --checker 'wasm-tools component new {{module}} -o /dev/null'
wasip2ld conformance run . --checker 'wasip2ld check {{module}} --wit {{wit}} --world {{world}} --target component'
```

The command is split like a shell would split it (no shell runs it); `{{module}}`, `{{wit}}` and `{{world}}`
are replaced in each word. Any other runner is fine: the index is all it needs.
"""


def suite_readme(worlds: list[dict], cases: list[Case]) -> str:
    from .export import FORMAT

    verdicts = Counter(c.verdict for c in cases)
    sources = Counter(w["source"] for w in worlds)
    listed = ", ".join(f"{n} from {s}" for s, n in sorted(sources.items()))
    counts = (f"{len(cases)} modules ({verdicts['accept']} to accept, {verdicts['reject']} to reject) for "
              f"{len(worlds)} worlds ({listed}).")  # fmt: skip
    return _TEXT.format(counts=counts, format=FORMAT)
