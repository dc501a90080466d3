"""`sig --format go`: a Go file with the `//go:wasmimport`/`//go:wasmexport` declarations of a world.

The file compiles as it is (``wasip2ld go build`` turns it into a component whose exports panic), so it is
a starting point: keep the imports, fill in the exports. Parameter types follow cmd/compile's rules for
wasm directives (``int32``/``uint32``/``bool``/``rune`` for i32, ``int64``/``uint64`` for i64,
``float32``/``float64``, a ``string`` parameter for a pointer and length, ``unsafe.Pointer`` for other
addresses), picked from the WIT type where there is one. ``go_declaration`` gives the two lines for a
single item; the Go driver shows them in its diagnostics.
"""

from __future__ import annotations

import re

from ...wasm import FuncType
from ...wit.render import function_text
from ..expected import ExpectedExport, ExpectedImport, ExpectedInterface
from ..flatten import CoreSignature, contains_list

CORE_GO = {"i32": "uint32", "i64": "uint64", "f32": "float32", "f64": "float64"}
WIT_GO = {
    "bool": "bool", "s8": "int32", "s16": "int32", "s32": "int32", "u8": "uint32", "u16": "uint32",
    "u32": "uint32", "char": "rune", "s64": "int64", "u64": "uint64", "f32": "float32", "f64": "float64",
}  # fmt: skip
ROLE_PARAMS = {
    "resource-drop": ("handle",), "resource-new": ("rep",), "resource-rep": ("handle",), "dtor": ("rep",),
    "realloc": ("oldPtr", "oldSize", "align", "newSize"), "post-return": ("ret",),
    "callback": ("event", "p1", "p2"),
}  # fmt: skip
GO_KEYWORDS = frozenset(
    [
        "break",
        "case",
        "chan",
        "const",
        "continue",
        "default",
        "defer",
        "else",
        "fallthrough",
        "for",
        "func",
        "go",
        "goto",
        "if",
        "import",
        "interface",
        "map",
        "package",
        "range",
        "return",
        "select",
        "struct",
        "switch",
        "type",
        "var",
        "string",
        "bool",
        "int",
        "uint",
        "byte",
        "rune",
        "error",
        "any",
        "len",
        "cap",
        "new",
        "make",
        "copy",
        "append",
        "panic",
        "print",
        "println",
        "min",
        "max",
        "clear",
        "close",
        "delete",
        "unsafe",
        "main",
        "init",
    ]
)
RUN_INTERFACE = "wasi:cli/run@"


def go_identifier(text: str, *, exported: bool = False) -> str:
    """``get-stdout`` -> ``getStdout``; never a keyword or predeclared name, never a digit first."""
    words = [w for w in re.split(r"[^A-Za-z0-9]+", text) if w]
    if not words:
        return "x"
    ident = words[0] + "".join(w[:1].upper() + w[1:] for w in words[1:])
    ident = ident[:1].upper() + ident[1:] if exported else ident[:1].lower() + ident[1:]
    if ident[0].isdigit():
        ident = "x" + ident
    return ident + "_" if ident in GO_KEYWORDS else ident


def go_func_name(module: str | None, name: str) -> str:
    """A Go name for an import (``module`` given) or export: ``example:calc/host@0.1.0`` ``log`` ->
    ``hostLog``; ``example:calc/calc@0.1.0#add`` -> ``calcAdd``; ``$root`` items keep their own name."""
    if module is None:
        module, _, name = name.rpartition("#") if "#" in name else name.rpartition("|")
    module = module.replace("[export]", "").replace("cm32p2", "").strip("|").removeprefix("_ex_")
    owner = "" if module in ("", "$root") else re.split(r"[/:]", module.split("@")[0])[-1]
    return go_identifier(f"{owner} {name}")


class _Names:
    def __init__(self) -> None:
        self.taken: set[str] = set(GO_KEYWORDS) | {"cabiRealloc", "cabiUnpin", "cabiPinned"}

    def unique(self, wanted: str) -> str:
        name, n = wanted, 2
        while name in self.taken:
            name, n = f"{wanted}{n}", n + 1
        self.taken.add(name)
        return name


def go_params(sig: FuncType, abi: CoreSignature | None, role: str) -> list[tuple[str, str]]:
    """(name, Go type) pairs whose core values are exactly ``sig.params``."""
    params = _described_params(sig, abi, role)
    if sum(2 if t == "string" else 1 for _, t in params) != len(sig.params):
        params = [(f"p{i}", CORE_GO[t]) for i, t in enumerate(sig.params)]
    seen = _Names()
    return [(seen.unique(n), t) for n, t in params]


def _described_params(sig: FuncType, abi: CoreSignature | None, role: str) -> list[tuple[str, str]]:
    fixed = ROLE_PARAMS.get(role)
    if fixed is not None and len(fixed) == len(sig.params):
        return [(n, "unsafe.Pointer" if n == "oldPtr" else CORE_GO[t]) for n, t in zip(fixed, sig.params)]
    if abi is None:
        return [(f"p{i}", CORE_GO[t]) for i, t in enumerate(sig.params)]
    params: list[tuple[str, str]] = []
    if abi.indirect_params:
        params.append(("args", "unsafe.Pointer"))
    else:
        for p in abi.wit_params:
            base = go_identifier(p.name)
            if len(p.core) == 1:
                params.append((base, WIT_GO.get(p.wit_type, CORE_GO[p.core[0]])))
            elif p.wit_type == "string":
                params.append((base, "string"))
            elif len(p.core) == 2 and _is_pointer_and_length(p.wit_type):
                params += [(base + "Ptr", "unsafe.Pointer"), (base + "Len", "uint32")]
            else:
                params += [(f"{base}{k}", CORE_GO[t]) for k, t in enumerate(p.core)]
    covered = sum(2 if t == "string" else 1 for _, t in params)
    params += [("result", "unsafe.Pointer")] * (len(sig.params) - covered)
    return params


def go_result(sig: FuncType, abi: CoreSignature | None, role: str) -> str:
    if not sig.results:
        return ""
    if role == "realloc":
        return "unsafe.Pointer"
    if abi is not None and abi.retptr:
        return "unsafe.Pointer"
    if abi is not None and abi.wit_result is not None and len(abi.wit_result.core) == 1:
        return WIT_GO.get(abi.wit_result.wit_type, CORE_GO[sig.results[0]])
    return CORE_GO[sig.results[0]]


def go_signature(func_name: str, item: ExpectedImport | ExpectedExport) -> str:
    assert item.sig is not None
    params = ", ".join(f"{n} {t}" for n, t in go_params(item.sig, item.abi, item.role))
    result = go_result(item.sig, item.abi, item.role)
    return f"func {func_name}({params}){' ' + result if result else ''}"


def go_declaration(item: ExpectedImport | ExpectedExport, func_name: str | None = None) -> list[str]:
    """The directive and signature line a Go author writes for ``item``."""
    if isinstance(item, ExpectedImport):
        name = func_name or go_func_name(item.module, item.name)
        return [f"//go:wasmimport {item.module} {item.name}", go_signature(name, item)]
    name = func_name or go_func_name(None, item.name)
    return [f"//go:wasmexport {item.name}", go_signature(name, item)]


def describe(item: ExpectedImport | ExpectedExport) -> str:
    """``example:calc/calc@0.1.0 add: func(a: s32, b: s32) -> s32``, or the item's role."""
    if item.role == "function" and item.function is not None:
        return f"{item.wit.rsplit(' ', 1)[0]} {function_text(item.function)}"
    return item.wit


def provides_run(expected: ExpectedInterface) -> ExpectedExport | None:
    """The world's ``wasi:cli/run`` export, which `wasip2ld go build` provides (it calls ``main``)."""
    return next(
        (e for e in expected.exports if e.role == "function" and e.wit.startswith(RUN_INTERFACE)), None
    )


def render_go(expected: ExpectedInterface) -> str:
    names = _Names()
    body: list[str] = []
    if expected.imports:
        body.append("// ---- imports: call these ----\n")
    for i in expected.imports:
        body += [
            f"// {describe(i)}",
            "//",
            *go_declaration(i, names.unique(go_func_name(i.module, i.name))),
            "",
        ]
    run = provides_run(expected)
    body.append("// ---- exports: implement these ----\n")
    for e in expected.exports:
        body += _export(e, expected, names, run)
    body += _main(expected, run)
    text = "\n".join(body)
    header = _header(expected)
    if "unsafe." in text:
        header += ['import "unsafe"', ""]
    return "\n".join(header) + "\n" + text.rstrip("\n") + "\n"


def _header(expected: ExpectedInterface) -> list[str]:
    return [
        f"// Code generated by `wasip2ld sig --format go` for world {expected.world.id} ({expected.mangling} names).",
        "// A starting point: keep the imports you call, implement the exports. Beside a main.go with",
        "// func main, it builds as it is with",
        "//     wasip2ld go build --wit WIT --world WORLD -o app.wasm",
        "//",
        "// Core types in Go (cmd/compile's rules for wasm directives): i32 is int32, uint32, bool or rune;",
        "// i64 is int64 or uint64; a string parameter is a pointer and a length; other pointers",
        "// (unsafe.Pointer, *T, uintptr) are 32-bit addresses in linear memory.",
        "",
        "package main",
        "",
    ]


def _export(
    e: ExpectedExport, expected: ExpectedInterface, names: _Names, run: ExpectedExport | None
) -> list[str]:
    if e.kind == "memory":
        note = "" if e.name == "memory" else f" (wasip2ld go build also exports it as {e.name})"
        return [f"// {e.wit}: Go's linear memory, exported by the Go linker{note}.", ""]
    if e.role == "initialize":
        return [f"// {e.wit}: Go's _initialize (runtime and package init) in a reactor build.", ""]
    if run is not None and e is run:
        return [f"// {describe(e)}: provided by `wasip2ld go build`; it runs main.", ""]
    if e.role == "post-return" and not _result_needs_memory(expected, e):
        return []
    if e.role == "realloc":
        return _realloc(e) if e.needed_by else []
    name = names.unique(_export_func_name(e))
    note = "required" if e.required else "optional"
    return [f"// {describe(e)} ({note})", "//", *go_declaration(e, name)[:-1],
            go_declaration(e, name)[-1] + " {", *_body(e), "}", ""]  # fmt: skip


def _export_func_name(e: ExpectedExport) -> str:
    if e.role == "post-return" and e.for_export:
        return go_func_name(None, e.for_export) + "Post"
    return go_func_name(None, e.name)


def _result_needs_memory(expected: ExpectedInterface, post: ExpectedExport) -> bool:
    owner = expected.export_named(post.for_export or "")
    if owner is None or owner.abi is None:
        return False
    return owner.abi.retptr or (owner.function is not None and contains_list(owner.function.result))


def _body(e: ExpectedExport) -> list[str]:
    if e.role == "post-return":
        return ["\t// The host has read the result: release what it points to."]
    if e.role == "dtor":
        return ["\t// The host dropped the last handle: free the resource's representation."]
    assert e.sig is not None
    if not e.sig.results:
        return [f'\tpanic("not implemented: {_go_string_text(describe(e))}")']
    lines = []
    if e.abi is not None and e.abi.retptr:
        lines.append(
            "\t// Return the address of the result in memory that stays alive until the post-return."
        )
    lines.append(f'\tpanic("not implemented: {_go_string_text(describe(e))}")')
    return lines


def _realloc(e: ExpectedExport) -> list[str]:
    users = ", ".join(e.needed_by[:3]) + (", …" if len(e.needed_by) > 3 else "")
    return [
        f"// {e.wit} ({'required' if e.required else 'optional'}): the host allocates here to pass strings and",
        f"// lists into Go (needed by {users}).",
        "// Go's garbage collector only knows Go pointers, so blocks stay pinned until cabiUnpin.",
        "var cabiPinned [][]byte",
        "",
        f"//go:wasmexport {e.name}",
        "func cabiRealloc(oldPtr unsafe.Pointer, oldSize, align, newSize uint32) unsafe.Pointer {",
        "\tif newSize == 0 {",
        "\t\treturn unsafe.Pointer(uintptr(align))",
        "\t}",
        "\tbuf := make([]byte, newSize+align-1)",
        "\tp := unsafe.Pointer(&buf[0])",
        "\tp = unsafe.Add(p, (uintptr(align)-uintptr(p)%uintptr(align))%uintptr(align))",
        "\tif oldPtr != nil {",
        "\t\tcopy(unsafe.Slice((*byte)(p), newSize), unsafe.Slice((*byte)(oldPtr), min(oldSize, newSize)))",
        "\t}",
        "\tcabiPinned = append(cabiPinned, buf)",
        "\treturn p",
        "}",
        "",
        "// cabiUnpin lets the GC reclaim cabi_realloc's blocks: call it once the arguments an export received",
        "// are referenced from Go values (a string or unsafe.Pointer parameter keeps its block alive).",
        "func cabiUnpin() {",
        "\tclear(cabiPinned)",
        "\tcabiPinned = cabiPinned[:0]",
        "}",
        "",
    ]


def _main(expected: ExpectedInterface, run: ExpectedExport | None) -> list[str]:
    """No ``func main`` here: it belongs to the user's main.go, and a second one would not compile."""
    if run is None and any(e.role == "function" for e in expected.exports):
        what = "a reactor (this world exports functions) never calls it: `func main() {}` will do"
    else:
        what = "it is the program that wasi:cli/run runs"
    return [f"// The package needs a func main (in your main.go, not here): {what}.", ""]


def _is_pointer_and_length(wit_type: str) -> bool:
    is_fixed_list = re.fullmatch(r"list<.*, \d+>", wit_type) is not None
    return wit_type.startswith(("list<", "map<")) and not is_fixed_list


def _go_string_text(text: str) -> str:
    return text.replace("\\", "\\\\").replace('"', '\\"')
