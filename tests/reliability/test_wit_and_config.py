"""Bad WIT and bad config (Hypothesis, bounded): whatever the text, `sig` exits 0 or 2 with one error line
and no traceback; a config file either loads or is one ConfigError naming the file (and line). Deeply nested
(valid) WIT works, absurdly deep WIT is one line."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from wasip2ld.cli import main
from wasip2ld.config import load_settings
from wasip2ld.errors import ConfigError

VALID_WIT = """package demo:shapes@0.1.0;

interface types {
  record point { x: f64, y: f64 }
  variant shape { circle(f64), square(f64), poly(list<point>) }
  enum color { red, green }
  flags opts { a, b }
  resource canvas { constructor(w: u32); draw: func(s: shape) -> result<_, string>; }
}

world app {
  use types.{shape};
  import log: func(msg: string);
  export area: func(s: shape) -> f64;
  export types;
}
"""
TOKENS = VALID_WIT.replace("{", " { ").replace("}", " } ").replace(";", " ; ").replace(":", " : ").split()


def _nested(levels: int) -> str:
    records = ["  record r0 { x: u32 }"] + [f"  record r{k} {{ x: r{k - 1} }}" for k in range(1, levels)]
    return "package a:b;\ninterface i {\n" + "\n".join(records) + f"\n  f: func(a: r{levels - 1});\n}}\n" \
        "world w { export i; }\n"


def _sig(capsys, *args: str) -> tuple[int, str, str]:
    capsys.readouterr()
    code = main(["sig", *args])
    out = capsys.readouterr()
    return code, out.out, out.err


def _assert_clean(code: int, err: str) -> None:
    assert code in (0, 2), err
    assert "Traceback" not in err and "internal error" not in err
    lines = err.splitlines()
    if code == 2:
        assert lines[0].startswith("wasip2ld: error: ") and all(
            line.startswith(("wasip2ld: error: ", "wasip2ld: hint: ")) for line in lines
        ), err


def test_deeply_nested_wit_works_and_absurd_nesting_is_one_line(capsys, monkeypatch, tmp_path):
    monkeypatch.chdir(tmp_path)
    Path("deep.wit").write_text(_nested(330))
    code, out, err = _sig(capsys, "--wit", "deep.wit", "--format", "c")
    assert code == 0, err
    assert "i_f(" in out or "f(" in out
    Path("absurd.wit").write_text(_nested(40000))
    code, _, err = _sig(capsys, "--wit", "absurd.wit")
    assert code == 2
    assert err.splitlines()[0] == (
        "wasip2ld: error: the input is nested too deeply for wasip2ld (types nested thousands of levels deep)"
    )


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.data())
def test_mutated_wit(capsys, need, tmp_path, data):
    need("wasm-tools")
    tokens = list(TOKENS)
    for _ in range(data.draw(st.integers(1, 3))):
        at = data.draw(st.integers(0, len(tokens) - 1))
        edit = data.draw(st.sampled_from(["drop", "duplicate", "swap", "replace"]))
        if edit == "drop":
            del tokens[at]
        elif edit == "duplicate":
            tokens.insert(at, tokens[at])
        elif edit == "swap":
            other = data.draw(st.integers(0, len(tokens) - 1))
            tokens[at], tokens[other] = tokens[other], tokens[at]
        else:
            tokens[at] = data.draw(st.sampled_from(["u32", "string", "list<", ">", "world", "-", "é", "%x"]))
    path = tmp_path / "m.wit"
    path.write_text(" ".join(tokens))
    code, _, err = _sig(capsys, "--wit", str(path))
    _assert_clean(code, err)


KEYS = ["toolchain", "wasi-sdk", "tools", "build", "bogus"]
BUILD_KEYS = ["wit", "world", "mode", "mangling", "wasi-adapter", "features", "all-features", "delegate", "x"]
SCALARS = st.one_of(
    st.text(max_size=8).map(lambda t: '"' + t.replace("\\", "\\\\").replace('"', '\\"') + '"'),
    st.integers(-5, 5).map(str),
    st.booleans().map(lambda b: str(b).lower()),
    st.just("[1, \"a\"]"),
    st.just("{ a = 1 }"),
    st.just("[\"a\", \"b\"]"),
)


@st.composite
def config_text(draw) -> str:
    lines = []
    for key in draw(st.lists(st.sampled_from(KEYS), max_size=3, unique=True)):
        if key == "build":
            lines.append("[build]")
            for build_key in draw(st.lists(st.sampled_from(BUILD_KEYS), max_size=4, unique=True)):
                lines.append(f"{build_key} = {draw(SCALARS)}")
        elif key == "tools":
            lines.append("[tools]")
            lines.append(f"{draw(st.sampled_from(['clang', 'wasm-tools', 'nope']))} = {draw(SCALARS)}")
        else:
            lines.insert(0, f"{key} = {draw(SCALARS)}")
    if draw(st.booleans()):
        at = draw(st.integers(0, len(lines)))
        lines.insert(at, draw(st.sampled_from(["[build", "= 1", "a = ", "[[x]]", "\x00", "é = 1"])))
    return "\n".join(lines) + "\n"


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(config_text())
def test_any_config_loads_or_is_one_config_error(tmp_path, text):
    path = tmp_path / "wasip2ld.toml"
    path.write_text(text, encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if not k.startswith("WASIP2LD_")}
    try:
        settings_ = load_settings(env=env, cwd=tmp_path)
    except ConfigError as err:
        assert err.message.startswith(f"{path}")
        assert "\n" not in err.message
        return
    assert path in settings_.config_files
    for key, value in settings_.build.items():
        assert isinstance(value, (str, bool, list)), (key, value)


@pytest.mark.parametrize("text, line", [('[build]\nwit = 5\n', 2), ('toolchain = "x"\n', 1), ("[build\n", 1)])
def test_config_errors_name_the_line(tmp_path, text, line):
    path = tmp_path / "wasip2ld.toml"
    path.write_text(text)
    with pytest.raises(ConfigError) as caught:
        load_settings(env={}, cwd=tmp_path)
    assert caught.value.message.startswith(f"{path}:{line}: ")
