"""`wasip2ld sig`: formats, options, config defaults, errors, and a C implementation written against the
generated header that `wasm-tools component new` accepts."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from wasip2ld.cli import main

DATA = Path(__file__).resolve().parent / "wit" / "data"
SMALL = DATA / "small.wit"


def sig(capsys, *args: str) -> tuple[int, str, str]:
    code = main(["sig", *args])
    out = capsys.readouterr()
    return code, out.out, out.err


def test_json_format(isolated_env, capsys):
    code, out, _ = sig(capsys, "--wit", str(SMALL), "--format", "json")
    data = json.loads(out)
    assert code == 0
    assert (data["schema"], data["world"], data["mangling"], data["async_abi"]) == (
        1,
        "a:b/w@1.2.3",
        "legacy",
        "sync",
    )
    assert data["imports"][1] == {
        "module": "a:b/x@1.2.3",
        "name": "y",
        "params": ["i32", "i32"],
        "results": [],
        "wit": "a:b/x@1.2.3 y",
        "role": "function",
    }
    exports = {e["name"]: e for e in data["exports"]}
    assert exports["run"] == {
        "name": "run",
        "kind": "func",
        "params": [],
        "results": ["i32"],
        "required": True,
        "wit": "$root run",
        "role": "function",
    }
    assert exports["cabi_post_run"]["required"] is False and exports["cabi_post_run"]["params"] == ["i32"]
    assert exports["memory"]["kind"] == "memory" and exports["memory"]["params"] == []
    assert exports["cabi_realloc"]["needed_by"] == ["a:b/x@1.2.3#y"]


def test_standard32_json(isolated_env, capsys):
    _, out, _ = sig(capsys, "--wit", str(SMALL), "--format", "json", "--mangling", "standard32")
    data = json.loads(out)
    assert {i["module"] for i in data["imports"]} == {"cm32p2|a:b/x@1", "cm32p2", "cm32p2|_ex_a:b/x@1"}
    assert [e["name"] for e in data["exports"]][-3:] == [
        "cm32p2_memory",
        "cm32p2_realloc",
        "cm32p2_initialize",
    ]


@pytest.mark.parametrize("mangling", ["legacy", "standard32"])
def test_wat_is_the_default_and_componentizes(isolated_env, capsys, wasm_tools, mangling):
    code, out, _ = sig(capsys, "--wit", str(SMALL), "--mangling", mangling)
    assert code == 0 and out.startswith(";; Core module skeleton for world a:b/w@1.2.3")
    (isolated_env / "m.wat").write_text(out)
    for argv in (
        ["parse", "m.wat", "-o", "m.wasm"],
        ["component", "embed", str(SMALL), "m.wasm", "-o", "e.wasm"],
        ["component", "new", "e.wasm", "-o", "c.wasm"],
    ):
        subprocess.run([wasm_tools, *argv], check=True, cwd=isolated_env)


def test_output_file_is_written_atomically(isolated_env, capsys):
    target = isolated_env / "out.json"
    assert sig(capsys, "--wit", str(SMALL), "--format", "json", "-o", str(target))[0] == 0
    assert json.loads(target.read_text())["world"] == "a:b/w@1.2.3"
    code, _, err = sig(capsys, "--wit", str(DATA / "multi.wit"), "--format", "json", "-o", str(target))
    assert code == 2 and "has 2 worlds" in err
    assert json.loads(target.read_text())["world"] == "a:b/w@1.2.3"  # untouched
    assert [p.name for p in isolated_env.iterdir() if p.name.startswith(".out.json")] == []


def test_world_and_features(isolated_env, capsys):
    _, out, _ = sig(capsys, "--wit", str(DATA / "multi.wit"), "--world", "m:multi/second", "--format", "json")
    assert json.loads(out)["world"] == "m:multi/second@0.1.0"
    plain = json.loads(sig(capsys, "--wit", str(DATA / "kitchen.wit"), "--format", "json")[1])
    gated = json.loads(
        sig(capsys, "--wit", str(DATA / "kitchen.wit"), "--format", "json", "--features", "foo")[1]
    )
    everything = json.loads(
        sig(capsys, "--wit", str(DATA / "kitchen.wit"), "--format", "json", "--all-features")[1]
    )
    names = [{i["name"] for i in d["imports"]} for d in (plain, gated, everything)]
    assert "gated" not in names[0] and "gated" in names[1] and {"gated", "k"} <= names[2]


def test_async_abi(isolated_env, capsys):
    _, out, _ = sig(
        capsys, "--wit", str(DATA / "async.wit"), "--format", "json", "--async-abi", "async-callback"
    )
    data = json.loads(out)
    assert data["async_abi"] == "async-callback"
    assert any(e["name"] == "[callback][async-lift]run" and e["required"] for e in data["exports"])


def test_defaults_from_the_config_file(isolated_env, capsys):
    shutil.copy(DATA / "multi.wit", isolated_env / "api.wit")
    (isolated_env / "wasip2ld.toml").write_text(
        '[build]\nwit = "api.wit"\nworld = "first"\nmangling = "standard32"\n'
    )
    code, out, _ = sig(capsys, "--format", "json")
    data = json.loads(out)
    assert code == 0 and (data["world"], data["mangling"]) == ("m:multi/first@0.1.0", "standard32")
    assert (
        json.loads(sig(capsys, "--format", "json", "--mangling", "legacy", "--world", "second")[1])[
            "mangling"
        ]
        == "legacy"
    )


@pytest.mark.parametrize(
    "args,message,hint",
    [
        ([], "wasip2ld: error: sig: no WIT given", "pass --wit PATH"),
        (
            ["--wit", str(DATA / "invalid.wit")],
            "invalid.wit:4:14: name `strin` does not exist",
            "at: f: func(a: strin);",
        ),
        (
            ["--wit", str(DATA / "multi.wit")],
            "package `m:multi@0.1.0` has 2 worlds; choose one with --world",
            "available worlds: m:multi/first@0.1.0, m:multi/second@0.1.0",
        ),
        (["--wit", str(DATA / "multi.wit"), "--world", "nope"], "no world named `nope`", "available worlds"),
        (["--wit", "missing.wit"], "missing.wit: no such file or directory", "pass a .wit file"),
        (
            ["--wit", str(DATA / "async.wit"), "--mangling", "standard32", "--async-abi", "async-stackful"],
            "the standard32 mangling has no names for the async ABI",
            "use --mangling legacy",
        ),
        (
            ["--wit", str(SMALL), "--features", "Not,ok"],
            "--features: `Not` is not a WIT feature name",
            "kebab-case",
        ),
    ],
)
def test_errors(isolated_env, capsys, args, message, hint):
    code, out, err = sig(capsys, *args)
    lines = err.strip().splitlines()
    assert code == 2 and out == ""
    assert (
        len(lines) == 2
        and message in lines[0]
        and lines[1].startswith("wasip2ld: hint:")
        and hint in lines[1]
    )


def test_bad_choices_are_usage_errors(isolated_env, capsys):
    code, _, err = sig(capsys, "--wit", str(SMALL), "--mangling", "standard64")
    assert code == 2 and "'standard64' is not one of 'legacy', 'standard32'" in err


def test_help_has_examples(capsys):
    main(["sig", "--help"])
    out = capsys.readouterr().out
    assert (
        "wasip2ld sig --wit wit/ --format c -o plugin-abi.h" in out
        and "--mangling [legacy|standard32]" in out
    )


IMPLEMENTATION = r"""
#include "abi.h"

static unsigned char heap[4096];
static int32_t used;

int32_t exports_REALLOC(int32_t old_ptr, int32_t old_size, int32_t align, int32_t new_size) {
    (void)old_ptr; (void)old_size;
    used = (used + align - 1) & -align;
    int32_t at = (int32_t)(__UINTPTR_TYPE__)&heap[used];
    used += new_size;
    return at;
}

int32_t exports_RUN(void) { ROOT_TOP(7); return 42; }
void exports_IFACE_y(int32_t s_ptr, int32_t s_len) { IMPORTED_y(s_ptr, s_len); }
void exports_IFACE_method_r_m(int32_t self) { IMPORTED_method_r_m(self); DROP_R(self); }
"""

NAMES = {
    "legacy": {
        "REALLOC": "cabi_realloc",
        "RUN": "run",
        "ROOT_TOP": "root_top",
        "IFACE": "a_b_x_1_2_3",
        "IMPORTED": "a_b_x_1_2_3",
        "DROP_R": "a_b_x_1_2_3_resource_drop_r",
    },
    "standard32": {
        "REALLOC": "cm32p2_realloc",
        "RUN": "cm32p2_run",
        "ROOT_TOP": "cm32p2_top",
        "IFACE": "cm32p2_a_b_x_1",
        "IMPORTED": "cm32p2_a_b_x_1",
        "DROP_R": "cm32p2_a_b_x_1_r_drop",
    },
}


@pytest.mark.parametrize("mangling", ["legacy", "standard32"])
def test_a_c_implementation_of_the_header_componentizes(
    isolated_env, capsys, toolchain, wasm_tools, mangling
):
    assert sig(capsys, "--wit", str(SMALL), "--format", "c", "--mangling", mangling, "-o", "abi.h")[0] == 0
    header = (isolated_env / "abi.h").read_text()
    assert "#include <stdint.h>" in header and "__attribute__((export_name(" in header
    source = IMPLEMENTATION
    for placeholder, value in NAMES[mangling].items():
        source = source.replace(placeholder, value)
    (isolated_env / "impl.c").write_text(source)
    link = ["-Wl,--no-entry"] + (["-Wl,--export-memory=cm32p2_memory"] if mangling == "standard32" else [])
    subprocess.run(
        [
            *toolchain.require("clang").argv,
            "--target=wasm32",
            "-ffreestanding",
            "-nostdlib",
            "-O1",
            "-Wall",
            "-Werror",
            *link,
            "impl.c",
            "-o",
            "impl.wasm",
        ],
        check=True,
        cwd=isolated_env,
    )
    subprocess.run(
        [wasm_tools, "component", "embed", str(SMALL), "impl.wasm", "-o", "e.wasm"],
        check=True,
        cwd=isolated_env,
    )
    subprocess.run([wasm_tools, "component", "new", "e.wasm", "-o", "c.wasm"], check=True, cwd=isolated_env)


def test_python_api_is_lazy_and_works():
    probe = "import sys, wasip2ld; print(sorted(m for m in sys.modules if m.startswith('wasip2ld')))"
    loaded = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True).stdout
    assert loaded.strip() == "['wasip2ld']"
    import wasip2ld

    world = wasip2ld.load_world(DATA / "kitchen.wit", features=["foo"])
    expected = wasip2ld.expected_interface(world, "standard32")
    assert expected.import_named("cm32p2|t:all/types@1", "gated") is not None
    assert expected.export_named("cm32p2||run").required
