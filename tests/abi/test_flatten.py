"""Flattening, checked against the tables of the spec (docs: wit-to-core-abi.md §2.2/§2.3, which were
confirmed with `wasm-tools component embed --dummy`), on model values built here without wasm-tools."""

from __future__ import annotations

import pytest

from wasip2ld.abi.flatten import (
    contains_list,
    flatten_functype,
    flatten_type,
    join,
    needs_memory,
    needs_realloc,
    post_return_functype,
    task_return_signature,
)
from wasip2ld.wasm import FuncType
from wasip2ld.wit.model import (
    Alias,
    Case,
    Enum,
    Field,
    FixedListType,
    Flags,
    Function,
    FutureType,
    Handle,
    ListType,
    MapType,
    OptionType,
    Param,
    Primitive,
    Record,
    Resource,
    ResultType,
    StreamType,
    Tuple,
    TypeDef,
    Variant,
)

u8, u32, s32, u64, f32, f64 = (Primitive(n) for n in ("u8", "u32", "s32", "u64", "f32", "f64"))
string, char, boolean = Primitive("string"), Primitive("char"), Primitive("bool")
RES = TypeDef("res", Resource(), owner="t:flat/fns@1.2.3")


def anon(kind) -> TypeDef:
    return TypeDef(None, kind)


def record(*types) -> TypeDef:
    return anon(Record(tuple(Field(f"f{i}", t) for i, t in enumerate(types))))


def variant(*payloads) -> TypeDef:
    return anon(Variant(tuple(Case(f"c{i}", t) for i, t in enumerate(payloads))))


def flags(n: int) -> TypeDef:
    return anon(Flags(tuple(f"l{i}" for i in range(n))))


def func(*params, result=None) -> Function:
    return Function("f", "freestanding", tuple(Param(f"p{i}", t) for i, t in enumerate(params)), result)


def sig(params: str, results: str = "") -> FuncType:
    return FuncType(tuple(params.split()), tuple(results.split()))


# (WIT, params, result, import type, export type, export post-return type) — spec §2.3, row by row.
SPEC_ROWS = [
    (
        "prims",
        [boolean, Primitive("s8"), Primitive("u16"), s32, u64, f32, f64, char],
        None,
        sig("i32 i32 i32 i32 i64 f32 f64 i32"),
        sig("i32 i32 i32 i32 i64 f32 f64 i32"),
        sig(""),
    ),
    (
        "str",
        [string, anon(ListType(u8))],
        string,
        sig("i32 i32 i32 i32 i32"),
        sig("i32 i32 i32 i32", "i32"),
        sig("i32"),
    ),
    ("rec", [record(f32, f32)], record(f32, f32), sig("f32 f32 i32"), sig("f32 f32", "i32"), sig("i32")),
    ("var2", [variant(f32, u64)], None, sig("i32 i64"), sig("i32 i64"), sig("")),
    ("var3", [variant(string, f64)], None, sig("i32 i64 i32"), sig("i32 i64 i32"), sig("")),
    ("var4", [variant(anon(Tuple((f32, f32))), f64)], None, sig("i32 i64 f32"), sig("i32 i64 f32"), sig("")),
    ("var1", [variant(f32, s32)], variant(f32, s32), sig("i32 i32 i32"), sig("i32 i32", "i32"), sig("i32")),
    (
        "opt",
        [anon(OptionType(f64))],
        anon(OptionType(u8)),
        sig("i32 f64 i32"),
        sig("i32 f64", "i32"),
        sig("i32"),
    ),
    (
        "res1",
        [anon(ResultType(string, f32))],
        anon(ResultType(None, None)),
        sig("i32 i32 i32", "i32"),
        sig("i32 i32 i32", "i32"),
        sig("i32"),
    ),
    ("res2", [], anon(ResultType(None, u32)), sig("i32"), sig("", "i32"), sig("i32")),
    ("fls", [flags(9), flags(32)], flags(32), sig("i32 i32", "i32"), sig("i32 i32", "i32"), sig("i32")),
    (
        "owns",
        [anon(Handle("own", RES)), anon(Handle("borrow", RES))],
        anon(Handle("own", RES)),
        sig("i32 i32", "i32"),
        sig("i32 i32", "i32"),
        sig("i32"),
    ),
    (
        "16 params",
        [u32] * 16,
        u64,
        sig(" ".join(["i32"] * 16), "i64"),
        sig(" ".join(["i32"] * 16), "i64"),
        sig("i64"),
    ),
    ("17 params", [u32] * 17, anon(Tuple((u32, u32))), sig("i32 i32"), sig("i32", "i32"), sig("i32")),
    (
        "tup",
        [anon(Tuple((u8, string, f64)))],
        anon(Tuple((u8,))),
        sig("i32 i32 i32 f64", "i32"),
        sig("i32 i32 i32 f64", "i32"),
        sig("i32"),
    ),
    ("nothing", [], None, sig(""), sig(""), sig("")),
]


@pytest.mark.parametrize("name,params,result,lowered,lifted,post", SPEC_ROWS, ids=[r[0] for r in SPEC_ROWS])
def test_spec_table(name, params, result, lowered, lifted, post):
    f = func(*params, result=result)
    assert flatten_functype(f, "lower").functype == lowered
    assert flatten_functype(f, "lift").functype == lifted
    assert post_return_functype(flatten_functype(f, "lift")) == post


# flatten_type per type (spec §2.2), including what despecialize rewrites.
TYPE_ROWS = [
    ("bool", boolean, ["i32"]),
    ("char", char, ["i32"]),
    ("u64", u64, ["i64"]),
    ("error-context", Primitive("error-context"), ["i32"]),
    ("string", string, ["i32", "i32"]),
    ("list<u64>", anon(ListType(u64)), ["i32", "i32"]),
    ("list<u64, 3>", anon(FixedListType(u64, 3)), ["i64", "i64", "i64"]),
    ("list<tuple<u8, f32>, 2>", anon(FixedListType(record(u8, f32), 2)), ["i32", "f32", "i32", "f32"]),
    ("map<string, u32>", anon(MapType(string, u32)), ["i32", "i32"]),
    ("enum", anon(Enum(("a", "b", "c"))), ["i32"]),
    ("flags of 1", flags(1), ["i32"]),
    ("flags of 32", flags(32), ["i32"]),
    ("own", anon(Handle("own", RES)), ["i32"]),
    ("future", anon(FutureType(None)), ["i32"]),
    ("stream<string>", anon(StreamType(string)), ["i32"]),
    ("option<string>", anon(OptionType(string)), ["i32", "i32", "i32"]),
    ("result<u64, f32>", anon(ResultType(u64, f32)), ["i32", "i64"]),
    ("result<f32, s32>", anon(ResultType(f32, s32)), ["i32", "i32"]),
    ("result<f64, f32>", anon(ResultType(f64, f32)), ["i32", "i64"]),
    ("variant of 300 empty cases", anon(Variant(tuple(Case(f"c{i}", None) for i in range(300)))), ["i32"]),
    ("alias of a record", TypeDef("a", Alias(TypeDef("p", Record((Field("x", f32),))))), ["f32"]),
    ("empty record-like tuple of tuples", record(record(u8), record(f64)), ["i32", "f64"]),
]


@pytest.mark.parametrize("name,t,flat", TYPE_ROWS, ids=[r[0] for r in TYPE_ROWS])
def test_flatten_type(name, t, flat):
    assert flatten_type(t) == flat


@pytest.mark.parametrize(
    "a,b,joined",
    [
        ("i32", "i32", "i32"),
        ("i32", "f32", "i32"),
        ("f32", "i32", "i32"),
        ("f32", "f32", "f32"),
        ("i32", "i64", "i64"),
        ("f32", "i64", "i64"),
        ("f32", "f64", "i64"),
        ("i32", "f64", "i64"),
        ("f64", "f64", "f64"),
    ],
)
def test_join(a, b, joined):
    assert join(a, b) == joined


def test_a_resource_itself_has_no_flattening():
    with pytest.raises(ValueError, match="own<"):
        flatten_type(RES)


def test_huge_fixed_length_lists_spill_without_expanding():
    f = func(anon(FixedListType(u8, 10**9)), result=anon(FixedListType(u64, 10**9)))
    lowered = flatten_functype(f, "lower")
    assert lowered.functype == sig("i32 i32") and lowered.indirect_params and lowered.retptr


def test_signature_keeps_the_reasons():
    f = func(string, u32, result=string)
    lowered = flatten_functype(f, "lower")
    assert [(p.name, p.wit_type, p.core) for p in lowered.wit_params] == [
        ("p0", "string", ("i32", "i32")),
        ("p1", "u32", ("i32",)),
    ]
    assert lowered.wit_result.core == ("i32", "i32") and lowered.retptr and not lowered.indirect_params
    lifted = flatten_functype(f, "lift")
    assert lifted.functype == sig("i32 i32 i32", "i32") and lifted.retptr


@pytest.mark.parametrize(
    "context,callback,expected",
    [
        ("lower", False, sig("i32 i32", "i32")),  # 5 flat params > 4: one pointer, then the return pointer
        ("lift", True, sig("i32 i32 i32 i32 i32", "i32")),  # callback code
        ("lift", False, sig("i32 i32 i32 i32 i32")),  # stackful: nothing returned
    ],
)
def test_async_signatures(context, callback, expected):
    f = func(u32, u32, u32, u32, u32, result=string)
    assert flatten_functype(f, context, async_=True, callback=callback).functype == expected


def test_async_lower_without_result_has_no_return_pointer():
    assert flatten_functype(func(u32), "lower", async_=True).functype == sig("i32", "i32")


@pytest.mark.parametrize(
    "result,params",
    [
        (None, ""),
        (u32, "i32"),
        (string, "i32 i32"),
        (anon(Tuple(tuple([u64] * 17))), "i32"),
    ],
)
def test_task_return_takes_the_flat_result(result, params):
    assert task_return_signature(func(result=result)).functype == sig(params)


@pytest.mark.parametrize(
    "t,owns",
    [
        (string, True),
        (anon(ListType(u8)), True),
        (anon(MapType(u8, u8)), True),
        (anon(FixedListType(u8, 4)), False),
        (anon(FixedListType(string, 2)), True),
        (anon(OptionType(record(u8, string))), True),
        (u64, False),
        (anon(Handle("own", RES)), False),
    ],
)
def test_contains_list(t, owns):
    assert contains_list(t) is owns


@pytest.mark.parametrize(
    "params,result,context,memory,realloc",
    [
        ([u32], u32, "lower", False, False),
        ([string], None, "lower", True, False),  # lowering a string argument: memory, caller allocates
        ([], string, "lower", True, True),  # lowering a string result: the callee allocates in our memory
        ([string], None, "lift", True, True),  # lifting: arguments are allocated in our memory
        ([], string, "lift", True, False),
        ([u32] * 17, None, "lift", True, True),  # spilled arguments are allocated too
        ([u32] * 17, None, "lower", True, False),
        ([], anon(Tuple((u32, u32))), "lower", True, False),  # return pointer
    ],
)
def test_needs(params, result, context, memory, realloc):
    f = func(*params, result=result)
    s = flatten_functype(f, context)
    assert (needs_memory(f, s), needs_realloc(f, s, context)) == (memory, realloc)
