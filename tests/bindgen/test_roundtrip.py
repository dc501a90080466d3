"""Bindings for a world using every plain data type (scalars, char, strings, lists, records, tuples,
variants, enums, flags, options, results, aliases, more than 16 parameters), with a C implementation that
also calls every import with assertions in C: built as a component and as a module target; values
round-trip through wasmtime's component API, and the guest's live heap bytes return to their start."""

from __future__ import annotations

import pytest

from .conftest import COUNTING, DATA, Guest, record

WIT = DATA / "roundtrip" / "roundtrip.wit"
IMPL = DATA / "roundtrip" / "roundtrip.c"


def host_bag(store, bag):
    bag.flag, bag.small, bag.tiny, bag.word = not bag.flag, bag.small + 1, bag.tiny + 1, bag.word + 1
    bag.big, bag.sbig, bag.letter = bag.big + 1, bag.sbig - 1, chr(ord(bag.letter) + 1)
    bag.ratio, bag.precise, bag.text = bag.ratio * 2, bag.precise * 2, bag.text + "!"
    bag.nums = [x * 2 & 0xFFFF for x in bag.nums]
    bag.where.x, bag.where.y = bag.where.x - 1, bag.where.y + 1
    bag.pair = (bag.pair[0] + 1, bag.pair[1] + "!")
    return bag


def host_shape(store, shape):
    """The variant has distinct payload types, so wasmtime-py passes payloads untagged."""
    if isinstance(shape, float):
        return shape + 1
    if isinstance(shape, tuple):
        return (shape[1], shape[0])
    if isinstance(shape, str | int):
        return shape * 2
    return shape


HOST = {
    "host-echo": lambda store, s, xs: (s.upper(), xs[::-1]),
    "host-bag": host_bag,
    "host-shape": host_shape,
    "host-maybe": lambda store, n: None if n is None else str(n),
    "host-check": lambda store, ok: record(x=1, y=2) if ok else "nope",
    "host-many": lambda store, *args: sum(args[:16]) + len(args[16]),
}


@pytest.fixture(scope="module")
def built(builder, tmp_path_factory) -> dict:
    out = tmp_path_factory.mktemp("roundtrip")
    gen = builder.bindgen(WIT, out / "gen")
    sources = [IMPL, gen / "roundtrip.c", f"-I{gen}", *COUNTING]
    gen32 = builder.bindgen(WIT, out / "gen32", "--mangling", "standard32")
    sources32 = [IMPL, gen32 / "roundtrip.c", f"-I{gen32}", *COUNTING]
    return {
        "gen": gen,
        "component": builder.build(WIT, "roundtrip", sources, out / "roundtrip.wasm"),
        "module": builder.build(WIT, "roundtrip", sources, out / "roundtrip.core.wasm", "--module"),
        "standard32": builder.build(
            WIT, "roundtrip", sources32, out / "roundtrip32.core.wasm", "--module", "--mangling", "standard32"
        ),
    }


def test_generated_names_follow_wit_bindgen(built):
    header = (built["gen"] / "roundtrip.h").read_text()
    for name in (
        "typedef struct roundtrip_string_t",
        "typedef struct test_bindgen_types_point_t {",
        "typedef test_bindgen_types_point_t roundtrip_point_t;",
        "#define TEST_BINDGEN_TYPES_SHAPE_CIRCLE 0",
        "#define TEST_BINDGEN_TYPES_PERMS_EXEC (1 << 2)",
        "extern void roundtrip_host_echo(roundtrip_string_t *s, roundtrip_names_t *xs, roundtrip_tuple2_name_names_t *ret);",
        "extern bool roundtrip_host_maybe(uint32_t *maybe_n, roundtrip_string_t *ret);",
        "extern bool roundtrip_host_check(bool ok, roundtrip_point_t *ret, roundtrip_string_t *err);",
        "bool exports_roundtrip_fail_only(bool ok, roundtrip_string_t *err);",
        "double exports_roundtrip_area(roundtrip_shape_t *s);",
        "void roundtrip_list_shape_free(roundtrip_list_shape_t *ptr);",
        "void roundtrip_string_dup(roundtrip_string_t *ret, const char *s);",
    ):
        assert name in header, name


def test_values_round_trip_through_wasmtime_without_leaks(built):
    guest = Guest(built["component"], HOST)
    start = guest("live-bytes")
    for n in range(25):
        got = guest("scalars", True, 255, -128, 65535, -32768, 7, -7, 2**64 - 2, -(2**63) + 1, 1.25, 2.5, "a")
        assert got == (False, 0, 127, 0, 32767, 8, -8, 2**64 - 1, -(2**63), 2.5, 5.0, "b")
        assert guest("many", *range(16), "tail") == "sum=120:tail"
        assert guest("strings", "s", ["x", "yy", "zzz" * n]) == ["s", "zzz" * n, "yy", "x"]
        bag = record(
            flag=True,
            small=1,
            tiny=-1,
            mid=2,
            smid=-2,
            word=3,
            sword=-3,
            big=4,
            sbig=-4,
            ratio=0.5,
            precise=0.25,
            letter="é",
            text="hello",
            nums=[1, 2, 3],
            where=record(x=1, y=2),
            pair=(5, "p"),
        )
        back = guest("bag-roundtrip", bag)
        assert (back.flag, back.small, back.tiny, back.mid, back.smid) == (False, 2, -2, 3, -3)
        assert (back.word, back.sword, back.big, back.sbig) == (4, -4, 5, -5)
        assert (back.ratio, back.precise, back.letter, back.text) == (1.0, 0.5, "ê", "olleh")
        assert back.nums == [3, 6, 9] and (back.where.x, back.where.y) == (2, 1) and back.pair == (6, "p")
        rect = (record(x=0, y=0), record(x=2, y=3))
        shapes = guest("shapes", [1.5, rect, "L", 2**40, None])
        assert shapes[0] == 3.0 and shapes[2:] == ["L?", 2**40 + 1, None]
        assert (shapes[1][0].x, shapes[1][0].y, shapes[1][1].x) == (2, 3, 0)
        assert [guest("area", s) for s in (rect, 2.0, "abcd", 7, None)] == [6.0, 12.0, 4.0, 7.0, -1.0]
        assert guest("paint", "blue", {"read"}) == ("red", {"write", "exec"})
        assert [guest("maybe", 3, "ab"), guest("maybe", None, "x"), guest("maybe", 4, None)] == [
            "ababab",
            None,
            "n=4",
        ]
        assert guest("parse", "10,-20").y == -20 and guest("parse", "nope") == "bad: nope"
        assert [guest("check", True).tag, guest("check", False).tag] == ["ok", "err"]
        assert [guest("fail-only", True), guest("fail-only", False)] == [None, "failed"]
        assert guest("via-host", n) == f"via-host ok {n}"
    assert guest("live-bytes") == start


def core_host() -> dict:
    """The same host functions for wasip2ld's core-engine host (wasip2ld.host)."""
    from wasip2ld.host import Err, Ok, Variant

    def bag(b):
        return {
            "flag": not b.flag, "small": b.small + 1, "tiny": b.tiny + 1, "mid": b.mid, "smid": b.smid,
            "word": b.word + 1, "sword": b.sword, "big": b.big + 1, "sbig": b.sbig - 1, "ratio": b.ratio * 2,
            "precise": b.precise * 2, "letter": chr(ord(b.letter) + 1), "text": b.text + "!",
            "nums": [x * 2 & 0xFFFF for x in b.nums], "where": {"x": b.where.x - 1, "y": b.where.y + 1},
            "pair": (b.pair[0] + 1, b.pair[1] + "!"),
        }  # fmt: skip

    def shape(s):
        value = s.value
        if s.case == "circle":
            value += 1
        elif s.case == "rect":
            value = (value[1], value[0])
        elif s.case in ("label", "big"):
            value *= 2
        return Variant(s.case, value)

    return {
        "host-echo": lambda s, xs: (s.upper(), xs[::-1]),
        "host-bag": bag,
        "host-shape": shape,
        "host-maybe": lambda n: None if n is None else str(n),
        "host-check": lambda ok: Ok({"x": 1, "y": 2}) if ok else Err("nope"),
        "host-many": lambda *args: sum(args[:16]) + len(args[16]),
    }


@pytest.mark.parametrize("mangling", ["module", "standard32"])
def test_module_target_round_trips_through_the_core_host_without_leaks(built, mangling):
    import wasip2ld.host
    from wasip2ld.host import Err, Ok, Variant

    instance = wasip2ld.host.instantiate(built[mangling], core_host())
    assert instance.mangling == ("standard32" if mangling == "standard32" else "legacy")
    exports = instance.exports
    start = exports["live-bytes"]()
    for n in range(25):
        got = exports["scalars"](False, 0, 127, 1, 2, 3, 4, 5, 6, -1.5, -0.25, "\U0010fffe")
        assert got == (True, 1, 126, 2, 1, 4, 3, 6, 5, -3.0, -0.5, "\U0010ffff")
        assert exports["many"](*range(1, 17), "q") == "sum=136:q"
        assert exports["strings"]("s", ["a", "b" * n]) == ["s", "b" * n, "a"]
        shapes = [Variant("circle", 1.5), Variant("label", "L"), Variant("big", 1), Variant("nothing")]
        assert exports["shapes"](shapes) == [
            Variant("circle", 3.0), Variant("label", "L?"), Variant("big", 2), Variant("nothing"),
        ]  # fmt: skip
        assert exports["area"](Variant("rect", ({"x": 1, "y": 1}, {"x": 3, "y": 4}))) == 6.0
        assert exports["paint"]("green", {"exec"}) == ("blue", frozenset({"read", "write"}))
        assert exports["maybe"](2, "xy") == "xyxy" and exports["maybe"](None, None) is None
        assert exports["parse"]("1,2") == Ok({"x": 1, "y": 2}) and exports["parse"]("x") == Err("bad: x")
        assert exports["check"](False) == Err() and exports["fail-only"](False) == Err("failed")
        assert exports["via-host"](n) == f"via-host ok {n}"
    assert exports["live-bytes"]() == start


def test_module_target_passes_check(built, builder):
    from .conftest import BIN, run

    out = run([BIN / "wasip2ld", "check", built["module"]], builder.env, built["module"].parent)
    assert "ok: matches world `test:bindgen/roundtrip`, legacy names" in out
    out = run([BIN / "wasip2ld", "check", built["standard32"]], builder.env, built["module"].parent)
    assert "ok: matches world `test:bindgen/roundtrip`, standard32 names" in out


def test_generation_is_deterministic(built, builder, tmp_path):
    again = builder.bindgen(WIT, tmp_path / "again")
    for name in ("roundtrip.h", "roundtrip.c"):
        assert (again / name).read_bytes() == (built["gen"] / name).read_bytes()
