"""Function bindings with wit-bindgen's C calling conventions.

C signatures: strings, lists, records, tuples, variants, options and results are passed by pointer; an
``option<T>`` parameter is a ``T *maybe_x`` (NULL for none); results come back as a return value (scalars,
enums, flags, handles) or through ``ret`` pointers; ``option<T>`` returns ``bool`` + ``T *ret``,
``result<T, E>`` returns ``bool`` (true: ok) + ``T *ret`` / ``E *err``.

Ownership: an import's caller keeps its arguments and owns the results (free them with ``…_free``); an
export receives ownership of its arguments and hands over its results, which the generated post-return
function frees after the host has read them.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from ..abi.flatten import CoreSignature, contains_list, flatten_functype
from ..abi.layout import field_offsets, record_size_align
from ..errors import UsageError
from ..wit.model import (
    Enum,
    Flags,
    Function,
    FutureType,
    Handle,
    OptionType,
    Primitive,
    ResultType,
    StreamType,
    Type,
    TypeDef,
    resolve_alias,
)  # fmt: skip
from .ctypes import CTypes, children
from .flat import CORE_C, Body, load
from .names import c_ident
from .scope import Scope
from .source import Sources, block

RetKind = Literal["void", "scalar", "retptr", "option", "result"]


@dataclass(frozen=True)
class Ret:
    kind: RetKind
    retptrs: tuple[tuple[Type, str], ...] = ()


@dataclass(frozen=True)
class CSig:
    name: str
    text: str
    params: tuple[tuple[str, str], ...]  # (how it is passed: value | pointer | option, C name)
    ret: Ret


def classify_ret(result: Type | None) -> Ret:
    if result is None:
        return Ret("void")
    r = resolve_alias(result)
    if isinstance(r, Primitive):
        return Ret("retptr", ((result, "ret"),)) if r.name == "string" else Ret("scalar")
    match r.kind:
        case Flags() | Enum() | Handle() | FutureType() | StreamType():
            return Ret("scalar")
        case OptionType(type=x):
            return Ret("option", ((x, "ret"),))
        case ResultType(ok=ok, err=err):
            ptrs = ((ok, "ret"),) if ok is not None else ()
            return Ret("result", ptrs + (((err, "err"),) if err is not None else ()))
    return Ret("retptr", ((result, "ret"),))


def passed_by_pointer(t: Type) -> bool:
    r = resolve_alias(t)
    if isinstance(r, Primitive):
        return r.name == "string"
    return not isinstance(r.kind, Flags | Enum | Handle | FutureType | StreamType)


def check_supported(func: Function, where: str) -> None:
    """Async functions, futures, streams and error-context have no bindings yet: say which function."""
    if func.is_async:
        raise UsageError(
            f"bindgen: `{where}` is an async function; only synchronous functions are supported",
            hint="remove `async` from the WIT function, or bind it by hand with `wasip2ld sig --format c`",
        )
    types = [p.type for p in func.params] + ([func.result] if func.result is not None else [])
    seen: set[int] = set()  # by identity: hashing deep types by value costs more than the walk
    while types:
        t = types.pop()
        if isinstance(t, Primitive):
            if t.name == "error-context":
                raise UsageError(f"bindgen: `{where}` uses error-context, which is not supported yet")
            continue
        if id(t) in seen:
            continue
        seen.add(id(t))
        if isinstance(t.kind, FutureType | StreamType):
            what = "future" if isinstance(t.kind, FutureType) else "stream"
            raise UsageError(
                f"bindgen: `{where}` uses a {what} ({t}), which is not supported yet",
                hint="futures and streams belong to the async ABI; bind this function by hand",
            )
        types += children(t)


class FunctionWriter:
    def __init__(self, types: CTypes, src: Sources) -> None:
        self.types, self.src = types, src
        self.ret_area = (0, 1)  # size, alignment of the static return area of exports
        self.unions: set[str] = set()

    def signature(self, cname: str, func: Function) -> CSig:
        ret = classify_ret(func.result)
        if ret.kind == "void":
            result = "void"
        elif ret.kind in ("option", "result"):
            result = "bool"
        elif ret.kind == "scalar":
            result = self.types.name(func.result)  # type: ignore[arg-type]
        else:
            result = "void"
        parts, params = [], []
        for p in func.params:
            ident = c_ident(p.name)
            if isinstance(p.type, TypeDef) and isinstance(p.type.kind, OptionType):
                parts.append(f"{self.types.name(p.type.kind.type)} *maybe_{ident}")
                params.append(("option", ident))
            elif passed_by_pointer(p.type):
                parts.append(f"{self.types.name(p.type)} *{ident}")
                params.append(("pointer", ident))
            else:
                parts.append(f"{self.types.name(p.type)} {ident}")
                params.append(("value", ident))
        parts += [f"{self.types.name(t)} *{name}" for t, name in ret.retptrs]
        text = f"{result} {cname}({', '.join(parts) or 'void'})"
        return CSig(cname, text, tuple(params), ret)

    # --- imports: call the host ---------------------------------------------------------------------

    def import_function(self, scope: Scope, cname: str, func: Function) -> None:
        sig = flatten_functype(func, "lower")
        raw = f"__wasm_import_{cname}"
        core_ret = CORE_C[sig.results[0]] if sig.results else "void"
        core_params = ", ".join(CORE_C[t] for t in sig.params) or "void"
        module, name = scope.names.import_module(scope.key), func.name
        self.src.c_fns.append(
            f'\n__attribute__((__import_module__("{module}"), __import_name__("{name}")))\n'
            f"extern {core_ret} {raw}({core_params});\n"
        )
        csig = self.signature(cname, func)
        self.src.h_fns.append(_docs(func) + f"extern {csig.text};\n")
        body = Body(self.types)
        args = self._import_args(body, csig, func, sig)
        call = f"{raw}({', '.join(args)})"
        if func.result is None:
            body.emit(call + ";")
        else:
            rtype = self.types.name(func.result)
            if sig.retptr:
                body.emit(call + ";", f"{rtype} Result = {load(rtype, 'RetArea', 0)};")
            else:
                core = [f"Ret{i}" for i in range(len(sig.results))]
                body.emit(*(f"{CORE_C[t]} {n} = {call};" for t, n in zip(sig.results, core)))
                if not core:
                    body.emit(call + ";")
                body.emit(f"{rtype} Result = {body.lift(func.result, iter(core))};")
            body.emit(*_give_back(csig.ret))
        self.unions |= body.unions
        self.src.c_adapters.append(f"\n{csig.text} {{\n" + block(body.lines) + "}\n")

    def _import_args(self, body: Body, csig: CSig, func: Function, sig: CoreSignature) -> list[str]:
        """The core arguments: flat values, or a pointer to the parameters stored on the stack; plus the
        stack return area when the results are spilled."""
        values = []
        for (how, ident), p in zip(csig.params, func.params):
            if how == "option":
                body.emit(
                    f"{self.types.name(p.type)} {ident};",
                    f"{ident}.is_some = maybe_{ident} != NULL;",
                    f"if (maybe_{ident}) {{",
                    f"{ident}.val = *maybe_{ident};",
                    "}",
                )
            values.append(f"(*{ident})" if how == "pointer" else ident)
        args: list[str] = []
        if sig.indirect_params:
            types = [p.type for p in func.params]
            size, align = record_size_align(types)
            body.emit(f"__attribute__((__aligned__({align}))) uint8_t ArgsArea[{max(size, 1)}];")
            for t, value, offset in zip(types, values, field_offsets(types)):
                body.emit(f"*(({self.types.name(t)}*) (ArgsArea + {offset})) = {value};")
            args.append("(int32_t) (uintptr_t) ArgsArea")
        else:
            for p, value in zip(func.params, values):
                args += body.lower(p.type, value)
        if sig.retptr:
            assert func.result is not None
            size, align = record_size_align([func.result])
            body.emit(f"__attribute__((__aligned__({align}))) uint8_t RetArea[{max(size, 1)}];")
            args.append("(int32_t) (uintptr_t) RetArea")
        return args

    # --- exports: called by the host ----------------------------------------------------------------

    def export_function(self, scope: Scope, cname: str, func: Function) -> None:
        sig = flatten_functype(func, "lift")
        export_name = scope.names.export_name(scope.key, func)
        raw = f"__wasm_export_{cname}"
        csig = self.signature(cname, func)
        self.src.h_fns.append(_docs(func) + f"{csig.text};\n")
        body = Body(self.types)
        self._export_params(body, func, sig)
        call_args = []
        for i, (how, _) in enumerate(csig.params):
            if how == "pointer":
                call_args.append(f"&Param{i}")
            elif how == "option":
                call_args.append(f"Param{i}.is_some ? &Param{i}.val : NULL")
            else:
                call_args.append(f"Param{i}")
        self._call_user(body, csig, func, call_args)
        core_ret = self._export_result(body, func, sig)
        params = ", ".join(f"{CORE_C[t]} Arg{i}" for i, t in enumerate(sig.params)) or "void"
        self.unions |= body.unions
        self.src.c_adapters.append(
            f'\n__attribute__((__export_name__("{export_name}")))\n'
            f"{core_ret} {raw}({params}) {{\n" + block(body.lines) + "}\n"
        )
        if func.result is not None and contains_list(func.result):
            rtype = self.types.name(func.result)
            free = self.types.free(func.result, f"(({rtype}*) (uintptr_t) arg0)")
            self.src.c_fns.append(
                f'\n__attribute__((__weak__, __export_name__("{scope.names.post_return(export_name)}")))\n'
                f"void {raw}_post_return(int32_t arg0) {{\n  {free}\n}}\n"
            )

    def _export_params(self, body: Body, func: Function, sig: CoreSignature) -> None:
        """``ParamN`` locals lifted from the core arguments (spilled parameters: read, then freed)."""
        types = [p.type for p in func.params]
        if sig.indirect_params:
            body.emit("uint8_t *Args = (uint8_t *) (uintptr_t) Arg0;")
            for i, (t, offset) in enumerate(zip(types, field_offsets(types))):
                body.emit(f"{self.types.name(t)} Param{i} = {load(self.types.name(t), 'Args', offset)};")
            body.emit("free(Args);")
        else:
            vals = iter(f"Arg{i}" for i in range(len(sig.params)))
            for i, t in enumerate(types):
                body.emit(f"{self.types.name(t)} Param{i} = {body.lift(t, vals)};")

    def _export_result(self, body: Body, func: Function, sig: CoreSignature) -> str:
        """Return ``Result`` as the core result (through the static return area when spilled); the core
        result type."""
        if sig.retptr:
            assert func.result is not None
            rtype = self.types.name(func.result)
            size, align = record_size_align([func.result])
            self.ret_area = (max(self.ret_area[0], size), max(self.ret_area[1], align))
            body.emit(f"*(({rtype}*) RET_AREA) = Result;", "return (int32_t) (uintptr_t) RET_AREA;")
            return "int32_t"
        if sig.results:
            assert func.result is not None
            (value,) = body.lower(func.result, "Result")
            body.emit(f"return {value};")
            return CORE_C[sig.results[0]]
        return "void"

    def _call_user(self, body: Body, csig: CSig, func: Function, args: list[str]) -> None:
        call = f"{csig.name}({', '.join(args)}"
        kind = csig.ret.kind
        if kind == "void":
            body.emit(call + ");")
            return
        assert func.result is not None
        rtype = self.types.name(func.result)
        if kind == "scalar":
            body.emit(f"{rtype} Result = {call});")
        elif kind == "retptr":
            body.emit(f"{rtype} Result;", f"{call}{', ' if args else ''}&Result);")
        elif kind == "option":
            ((payload, _),) = csig.ret.retptrs
            body.emit(
                f"{self.types.name(payload)} Val;",
                f"{rtype} Result;",
                f"Result.is_some = {call}{', ' if args else ''}&Val);",
                "if (Result.is_some) {",
                "Result.val = Val;",
                "}",
            )
        else:
            outs = []
            for t, name in csig.ret.retptrs:
                local = "Ok" if name == "ret" else "Err"
                body.emit(f"{self.types.name(t)} {local};")
                outs.append(f"&{local}")
            sep = ", " if args and outs else ""
            body.emit(f"{rtype} Result;", f"Result.is_err = !{call}{sep}{', '.join(outs)});")
            names = {name for _, name in csig.ret.retptrs}
            if "err" in names:
                body.emit("if (Result.is_err) {", "Result.val.err = Err;", "}")
            if "ret" in names:
                body.emit("if (!Result.is_err) {", "Result.val.ok = Ok;", "}")


def _give_back(ret: Ret) -> list[str]:
    """An import wrapper's return: the C result conventions applied to the lifted ``Result``."""
    if ret.kind == "scalar":
        return ["return Result;"]
    if ret.kind == "retptr":
        return ["*ret = Result;"]
    if ret.kind == "option":
        return ["if (Result.is_some) {", "*ret = Result.val;", "}", "return Result.is_some;"]
    if ret.kind == "result":
        names = {name for _, name in ret.retptrs}
        ok = ["*ret = Result.val.ok;"] if "ret" in names else []
        err = ["*err = Result.val.err;"] if "err" in names else []
        return ["if (!Result.is_err) {", *ok, "return 1;", "} else {", *err, "return 0;", "}"]
    return []


def _docs(func: Function) -> str:
    lines = func.docs.strip().splitlines() if func.docs else []
    return "".join(f"// {line}\n" for line in lines) or ""
