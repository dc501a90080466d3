"""Resource handle types and their intrinsics, as wit-bindgen's C generator declares them.

Imported resource ``r``: ``<ns>_own_r_t`` and ``<ns>_borrow_r_t`` (``{int32_t __handle;}``),
``<ns>_r_drop_own``, ``<ns>_r_drop_borrow`` and ``<ns>_borrow_r`` (own → borrow). Exported resource ``r``:
the user defines ``struct <ns>_r_t``; ``<ns>_own_r_t`` is a handle, ``<ns>_borrow_r_t`` a ``<ns>_r_t *``;
``<ns>_r_new``/``<ns>_r_rep``/``<ns>_r_drop_own``, and the user's ``<ns>_r_destructor`` runs on the
component's ``[dtor]`` export.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..errors import UsageError
from ..wit.model import TypeDef
from .names import snake
from .scope import Scope
from .source import Sources


@dataclass(frozen=True)
class ResourceInfo:
    own: str
    borrow: str
    exported: bool
    rep: str  # the C struct an exported resource points to (its `_t` name)
    drop_fn: str  # the raw `[resource-drop]` import


def define_resource(t: TypeDef, name: str, scope: Scope, src: Sources) -> ResourceInfo:
    assert t.name is not None
    ns, r = scope.namespace, snake(t.name)
    own, borrow = f"{ns}_own_{r}_t", f"{ns}_borrow_{r}_t"
    names = scope.names
    if scope.in_import:
        module = names.import_module(scope.key)
    elif scope.key is None:
        raise UsageError(f"bindgen: resource `{t.name}` is exported by the world itself, not by an interface")
    else:
        module = names.exported_intrinsic_module(scope.key)
    drop_fn = f"__wasm_import_{ns}_{r}_drop"
    src.h_helpers.append(f"\nextern void {ns}_{r}_drop_own({own} handle);\n")
    src.c_helpers.append(
        f"\n{_import_attr(module, names.resource_intrinsic(t.name, 'drop'))}\n"
        f"extern void {drop_fn}(int32_t handle);\n\n"
        f"void {ns}_{r}_drop_own({own} handle) {{\n  {drop_fn}(handle.__handle);\n}}\n"
    )
    src.h_defs.append(f"\ntypedef struct {own} {{\n  int32_t __handle;\n}} {own};\n")
    if scope.in_import:
        src.h_defs.append(f"\ntypedef struct {borrow} {{\n  int32_t __handle;\n}} {borrow};\n")
        src.h_helpers.append(
            f"\nextern void {ns}_{r}_drop_borrow({borrow} handle);\n\nextern {borrow} {ns}_borrow_{r}({own} handle);\n"
        )
        src.c_helpers.append(
            f"\nvoid {ns}_{r}_drop_borrow({borrow} handle) {{\n  {drop_fn}(handle.__handle);\n}}\n"
            f"\n{borrow} {ns}_borrow_{r}({own} arg) {{\n  return ({borrow}) {{ arg.__handle }};\n}}\n"
        )
        return ResourceInfo(own, borrow, False, name, drop_fn)
    assert scope.key is not None
    src.h_defs.append(f"\ntypedef struct {name} {name};\n\ntypedef {name}* {borrow};\n")
    src.h_helpers.append(
        f"\nextern {own} {ns}_{r}_new({name} *rep);\n"
        f"extern {name}* {ns}_{r}_rep({own} handle);\n"
        f"void {ns}_{r}_destructor({name} *rep);\n"
    )
    new, rep = f"__wasm_import_{ns}_{r}_new", f"__wasm_import_{ns}_{r}_rep"
    src.c_helpers.append(
        f"\n{_import_attr(module, names.resource_intrinsic(t.name, 'new'))}\n"
        f"extern int32_t {new}(int32_t);\n\n"
        f"{_import_attr(module, names.resource_intrinsic(t.name, 'rep'))}\n"
        f"extern int32_t {rep}(int32_t);\n\n"
        f"{own} {ns}_{r}_new({name} *rep) {{\n  return ({own}) {{ {new}((int32_t) (uintptr_t) rep) }};\n}}\n\n"
        f"{name}* {ns}_{r}_rep({own} handle) {{\n  return ({name}*) (uintptr_t) {rep}(handle.__handle);\n}}\n\n"
        f'__attribute__((__export_name__("{names.dtor(scope.key, t.name)}")))\n'
        f"void __wasm_export_{ns}_{r}_dtor({name} *arg) {{\n  {ns}_{r}_destructor(arg);\n}}\n"
    )
    return ResourceInfo(own, borrow, True, name, drop_fn)


def _import_attr(module: str, name: str) -> str:
    return f'__attribute__((__import_module__("{module}"), __import_name__("{name}")))'
