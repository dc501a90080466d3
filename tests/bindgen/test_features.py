"""The rest of the sync ABI and the generator's options: C keywords as WIT names, nested options, wide
flags, fixed-size lists, maps, an interface both imported and exported, inline interfaces, a world-level
resource, feature gates, --rename, UTF-16 strings; and the errors for what is not supported."""

from __future__ import annotations

import subprocess

import pytest

from .conftest import BIN, COUNTING, DATA, Guest

WIT = DATA / "features" / "features.wit"


@pytest.fixture(scope="module")
def built(builder, tmp_path_factory) -> dict:
    out = tmp_path_factory.mktemp("features")
    gen = builder.bindgen(WIT, out / "gen", "--features", "fancy")
    sources = [DATA / "features" / "features.c", gen / "features.c", f"-I{gen}", *COUNTING]
    gate = ("--wit-features", "fancy")
    return {
        "dir": out,
        "gen": gen,
        "component": builder.build(WIT, "features", sources, out / "features.wasm", *gate),
        "module": builder.build(WIT, "features", sources, out / "features.core.wasm", "--module", *gate),
    }


class Counter:
    """The world-level resource `counter`, implemented by the host."""

    def __init__(self, start: int) -> None:
        self.n = start

    def next(self) -> int:
        self.n += 1
        return self.n


def host_imports() -> dict:
    from wasip2ld.host import Err, Ok, Some, Variant

    def nested(n):
        if n is None:
            return None
        inner = n.value if isinstance(n, Some) else n
        return Some(None if inner is None else inner + 1)

    def all_of(c, f, k, w):
        changed = {"default": c.default + 1, "ret": c.ret + "!", "err": c.err - 1, "switch": not c.switch}
        assert f == "continue" and k == Variant("third", [c])
        return (changed, "while", Variant("third", [c, c]), frozenset(w) ^ {"f9"})

    return {
        "test:features/keywords@1.0.0": {
            "ret-val": lambda ret, err: Ok(ret + err) if ret else Err(),
            "take-nested": nested,
            "all-of": all_of,
        },
        "test:features/both@1.0.0": {"swap": lambda p: {"a": p.a - 1, "b": p.b[::-1]}},
        "test:features/gated@1.0.0": {"fancy": lambda: 77},
        "inline-in": {"get": lambda n: {"v": bytes(range(n))}},
        "[constructor]counter": Counter,
        "[method]counter.next": Counter.next,
        "tick": lambda c: c.next(),
    }


def test_every_feature_round_trips_through_the_core_host_without_leaks(built):
    import wasip2ld.host

    exports = wasip2ld.host.instantiate(built["module"], host_imports()).exports
    start = exports["live-bytes"]()
    shaped, both = exports["test:features/shaped@1.0.0"], exports["test:features/both@1.0.0"]
    for n in range(20):
        assert exports["run"]() == "ok"  # every import, checked in C
        assert shaped["fixed"]([1, 2, 3, n]) == [3, 3 * n]
        assert shaped["mapped"]({"x": n, "yy": 2}) == {n: "x", 2: "yy"}
        assert both["swap"]({"a": n, "b": "q"}) == {"a": 2 * n, "b": "q"}
        case = {"default": 0, "ret": "r", "err": 0, "switch": n % 2 == 0}
        assert exports["inline-out"]["describe"](case, "do") == ("do" if n % 2 == 0 else "off")
    assert exports["live-bytes"]() == start


def test_component_carries_fixed_size_lists_and_maps(built, wasm_tools):
    wit = subprocess.run(
        [wasm_tools, "component", "wit", str(built["component"])], capture_output=True, text=True, check=False
    )
    assert wit.returncode == 0, wit.stderr
    assert "fixed: func(a: list<u8, 4>) -> list<u32, 2>;" in wit.stdout
    assert "mapped: func(m: map<string, u32>) -> map<u32, string>;" in wit.stdout


def test_names_for_keywords_gates_and_both_directions(built, builder, tmp_path):
    header = (built["gen"] / "features.h").read_text()
    for text in (
        "extern bool test_features_keywords_ret_val(uint32_t ret_, uint32_t err_, uint32_t *ret);",
        "extern bool test_features_keywords_take_nested(features_option_u32_t *maybe_n, features_option_u32_t *ret);",
        "  bool switch_;",
        "#define TEST_FEATURES_KEYWORDS_FOR_CONTINUE 2",
        "typedef uint32_t test_features_keywords_wide_t;",
        "#define TEST_FEATURES_KEYWORDS_WIDE_F17 (1 << 17)",
        "extern void test_features_both_swap(test_features_both_pair_t *p, test_features_both_pair_t *ret);",
        "void exports_test_features_both_swap(exports_test_features_both_pair_t *p, exports_test_features_both_pair_t *ret);",
        "typedef test_features_keywords_case_t inline_out_case_t;",
        "extern features_own_counter_t features_constructor_counter(uint32_t start);",
        "extern uint32_t test_features_gated_fancy(void);",
        "} features_list4_u8_t;",
        "} features_map_string_u32_entry_t;",
    ):
        assert text in header, text
    ungated = builder.bindgen(WIT, tmp_path / "ungated")
    assert "gated" not in (ungated / "features.h").read_text()


def test_rename_replaces_an_interface_prefix_both_ways(builder, tmp_path):
    gen = builder.bindgen(WIT, tmp_path / "renamed", "--rename", "test:features/both@1.0.0=pairs")
    header = (gen / "features.h").read_text()
    assert "extern void pairs_swap(pairs_pair_t *p, pairs_pair_t *ret);" in header
    assert "void exports_pairs_swap(exports_pairs_pair_t *p, exports_pairs_pair_t *ret);" in header


def test_utf16_strings_round_trip(builder, tmp_path):
    wit = DATA / "utf16" / "utf16.wit"
    gen = builder.bindgen(wit, tmp_path / "gen", "--string-encoding", "utf16")
    assert "void utf16_string_set(utf16_string_t *ret, const char16_t *s);" in (gen / "utf16.h").read_text()
    sources = [DATA / "utf16" / "utf16.c", gen / "utf16.c", f"-I{gen}"]
    component = builder.build(wit, "utf16", sources, tmp_path / "utf16.wasm", "--string-encoding", "utf16")
    guest = Guest(component, {"shout": lambda store, s: s.upper()})
    assert guest("echo", "a\u00df", ["\U0001f600", "", "z"]) == "a\u00df\U0001f600z"


def bindgen_fails(builder, tmp_path, *args: str) -> str:
    proc = subprocess.run([BIN / "wasip2ld", "bindgen", "c", *args], env=builder.env, cwd=tmp_path,
                          capture_output=True, text=True, check=False)  # fmt: skip
    assert proc.returncode == 2, proc.stderr
    assert proc.stderr.startswith("wasip2ld: error: ") and "Traceback" not in proc.stderr
    return proc.stderr.splitlines()[0]


def test_unsupported_input_is_a_one_line_error_and_leaves_outputs_alone(builder, tmp_path):
    wit = tmp_path / "async.wit"
    wit.write_text("package t:a;\nworld w {\n  export go: async func(n: u32) -> u32;\n}\n")
    (tmp_path / "out").mkdir()
    kept = tmp_path / "out" / "w.h"
    kept.write_text("previous")
    assert "`go` is an async function" in bindgen_fails(
        builder, tmp_path, "--wit", str(wit), "--out-dir", "out"
    )
    assert kept.read_text() == "previous"
    stream = tmp_path / "stream.wit"
    stream.write_text("package t:s;\nworld w {\n  import f: func() -> stream<u8>;\n}\n")
    assert "`f` uses a stream" in bindgen_fails(builder, tmp_path, "--wit", str(stream))
    assert "the world has no interface `nope`" in bindgen_fails(
        builder, tmp_path, "--wit", str(WIT), "--rename", "nope=x"
    )
    assert "compact-utf16" in bindgen_fails(
        builder, tmp_path, "--wit", str(WIT), "--string-encoding", "compact-utf16"
    )
    (tmp_path / "file").write_text("")
    assert "'file' is a file" in bindgen_fails(builder, tmp_path, "--wit", str(WIT), "--out-dir", "file")


def test_an_out_dir_that_cannot_be_created_is_a_one_line_error(builder, tmp_path):
    (tmp_path / "file").write_text("")
    line = bindgen_fails(builder, tmp_path, "--wit", str(WIT), "--out-dir", "file/gen")
    assert line == "wasip2ld: error: --out-dir: cannot create file/gen (Not a directory)"
    assert not (tmp_path / "gen").exists() and (tmp_path / "file").read_text() == ""
