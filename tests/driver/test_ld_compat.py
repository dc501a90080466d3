"""`wasip2ld ld` / wasip2ld-wasm-component-ld as a wasm-component-ld 0.5.27 replacement: its flags, response
files, `-flavor wasm`, and wasm-ld flags passed through as written."""

from __future__ import annotations

import pytest

from .conftest import HELLO_C, exports_of, layer, run_command_component

GREETING_START = "Hello from"


def link_line(sh, clang_cmd, toolchain, sysroot, obj: str = "hello.o") -> list[str]:
    """``obj`` (hello.c compiled against ``sysroot``) and the rest of the link line clang would pass (crt1,
    -lc, compiler-rt)."""
    sh([*clang_cmd, "-c", HELLO_C, "-o", obj], env={"WASIP2LD_SYSROOT_WASIP2": str(sysroot)})
    lib = sysroot / "lib" / "wasm32-wasip2"
    return [
        "-m",
        "wasm32",
        f"-L{lib}",
        str(lib / "crt1-command.o"),
        obj,
        "-lc",
        str(toolchain.path("compiler-rt")),
    ]


@pytest.fixture
def objects(sh, clang_cmd, toolchain) -> list[str]:
    return link_line(sh, clang_cmd, toolchain, toolchain.path("sysroot-wasip2"))


@pytest.fixture
def old_objects(sh, clang_cmd, toolchain, old_sysroot) -> list[str]:
    """The same, against the older wasi-libc that still imports WASI p1."""
    return link_line(sh, clang_cmd, toolchain, old_sysroot, "hello-old.o")


@pytest.fixture
def ld(wasip2ld_cmd) -> list[str]:
    return [*wasip2ld_cmd, "ld"]


def test_links_a_component_and_the_entry_point_matches(sh, ld, ld_entry, objects, tmp_path):
    sh([*ld, *objects, "-o", "a/hello.wasm"], ok=False)  # a missing directory is an error, not a crash
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    sh([*ld, *objects, "-o", "a/hello.wasm"])
    sh([ld_entry, "-flavor", "wasm", *objects, "-o", "b/hello.wasm"])
    assert (tmp_path / "a" / "hello.wasm").read_bytes() == (tmp_path / "b" / "hello.wasm").read_bytes()
    ok, out = run_command_component(tmp_path / "a" / "hello.wasm", tmp_path)
    assert ok and out.startswith(GREETING_START)


def test_response_files_nested_and_quoted(sh, ld, objects, tmp_path):
    spaced = tmp_path / "dir with space"
    spaced.mkdir()
    (tmp_path / "hello.o").rename(spaced / "hello.o")
    line = [f'"{spaced / "hello.o"}"' if arg == "hello.o" else arg for arg in objects]
    (tmp_path / "inner.rsp").write_text("\n".join(line) + "\n")
    (tmp_path / "outer.rsp").write_text("@inner.rsp\n-o 'rsp out.wasm'\n")
    sh([*ld, "@outer.rsp"])
    ok, out = run_command_component(tmp_path / "rsp out.wasm", tmp_path)
    assert ok and out.startswith(GREETING_START)


def test_wasm_ld_flags_pass_through_in_every_spelling(sh, ld, objects, tmp_path):
    from wasip2ld.wasm import read_module_file

    spellings = {
        "eq": ["--export=main", "-zstack-size=131072", "--initial-memory=1310720"],
        "space": ["--export", "main", "-z", "stack-size=131072", "--initial-memory", "1310720"],
        "single-dash": [
            "-export=main",
            "-z",
            "stack-size=131072",
            "--initial-memory=1310720",
        ],  # -initial-memory: wasm-ld says no
    }
    for name, flags in spellings.items():
        (tmp_path / name).mkdir()
        sh([*ld, "--skip-wit-component", *objects, *flags, "-o", f"{name}/out.wasm"])
        module = read_module_file(tmp_path / name / "out.wasm")
        assert layer(tmp_path / name / "out.wasm") == "module"
        assert "main" in [e.name for e in module.exports]
        assert module.memories[0].minimum == 20  # 1310720 / 64 KiB
    assert len({(tmp_path / name / "out.wasm").read_bytes() for name in spellings}) == 1


def test_unknown_flags_reach_wasm_ld_and_its_exit_code_comes_back(sh, ld, objects, tmp_path):
    result = sh([*ld, *objects, "--no-such-flag", "-o", "x.wasm"], ok=False)
    assert "unknown argument: --no-such-flag" in result.stderr  # wasm-ld's own words
    assert result.returncode == 1
    assert "wasm-ld failed with exit code 1" in result.stderr
    assert not (tmp_path / "x.wasm").exists()
    sh([*ld, *objects, "--append-lld-flag=--export=__heap_base", "--skip-wit-component", "-o", "y.wasm"])
    assert "__heap_base" in exports_of(tmp_path / "y.wasm")


def test_gnu_archive_groups_are_accepted(sh, ld, objects, tmp_path):
    """Meson takes an LLD for GNU-like and wraps libraries in --start-group/--end-group, which wasm-ld
    rejects and does not need."""
    sh([*ld, *objects[:4], "--start-group", *objects[4:], "-(", "-)", "--end-group", "-o", "g.wasm"])
    ok, out = run_command_component(tmp_path / "g.wasm", tmp_path)
    assert ok and out.startswith(GREETING_START)


def test_gnu_shared_library_switches_are_accepted(sh, ld, objects, tmp_path):
    """What Meson adds (b_asneeded, b_lundef) once it takes the linker for ELF ld.lld."""
    switches = ["--as-needed", "--no-undefined", "--allow-shlib-undefined", "--no-as-needed",
                "--no-allow-shlib-undefined"]
    sh([*ld, *switches, *objects, "-o", "s.wasm"])
    ok, out = run_command_component(tmp_path / "s.wasm", tmp_path)
    assert ok and out.startswith(GREETING_START)


def test_linking_only_linker_options_fails_like_a_native_link_of_nothing(sh, clang_cmd, tmp_path):
    res = sh([*clang_cmd, "-Wl,--as-needed"], ok=False)
    assert res.returncode == 2 and "no input files" in res.stderr
    assert not (tmp_path / "a.out").exists()
    assert sh([*clang_cmd, "-Wl,--version"]).stdout.startswith("Debian LLD")  # a query still answers


def test_version_and_help(sh, ld, ld_entry):
    version = sh([ld_entry, "--version"]).stdout.splitlines()
    assert "LLD" in version[0]  # first: what Meson's linker detection looks for
    assert version[1].startswith("wasip2ld ld ") and "wasm-component-ld 0.5.27" in version[1]
    assert sh([*ld, "-V"]).stdout.splitlines() == version
    text = sh([*ld, "--help"]).stdout
    for flag in (
        "--wasm-ld-path",
        "--wasi-adapter",
        "--adapt",
        "--component-type",
        "--skip-wit-component",
        "--string-encoding",
        "--reject-legacy-names",
        "--validate-component",
        "--merge-imports-based-on-semver",
        "--realloc-via-memory-grow",
        "--append-lld-flag",
        "--module",
        "--wit",
        "--world",
        "--mangling",
    ):
        assert flag in text


def test_clang_wl_version_reports_the_linker(sh, clang_cmd, tmp_path):
    for argv in (
        ["-Wl,--version"],
        ["-Wl,--version", HELLO_C, "-o", "v.wasm"],
    ):  # meson's probe has no inputs
        result = sh([*clang_cmd, *argv])
        assert "wasm-component-ld 0.5.27" in result.stdout and "LLD" in result.stdout
    assert list(tmp_path.iterdir()) == []


def test_component_type_with_utf16_strings(sh, clang_cmd, ld, toolchain, tmp_path):
    import wasmtime
    from wasmtime import component as cm

    (tmp_path / "units.wit").write_text(
        "package demo:units;\nworld units {\n  export count: func(s: string) -> u32;\n}\n"
    )
    (tmp_path / "units.c").write_text(
        "#include <stdlib.h>\n"
        '__attribute__((export_name("cabi_realloc")))\n'
        "void *cabi_realloc(void *p, size_t old, size_t align, size_t size) { return realloc(p, size); }\n"
        '__attribute__((export_name("count"))) unsigned count(void *p, unsigned n) { free(p); return n; }\n'
    )
    sh(
        [
            *clang_cmd,
            "-mexec-model=reactor",
            "units.c",
            "-Wl,--component-type,units.wit",
            "-Wl,--string-encoding,utf16",
            "-o",
            "u16.wasm",
        ]
    )
    sh(
        [
            *clang_cmd,
            "-mexec-model=reactor",
            "units.c",
            "-Xlinker",
            "--component-type=units.wit",
            "-o",
            "u8.wasm",
        ]
    )
    counts = {}
    for name in ("u16", "u8"):
        engine = wasmtime.Engine()
        store = wasmtime.Store(engine)
        instance = cm.Linker(engine).instantiate(
            store, cm.Component.from_file(engine, str(tmp_path / f"{name}.wasm"))
        )
        func = instance.get_func(store, "count")
        counts[name] = func(store, "h\u00e9llo \U0001f600")
        func.post_return(store)
    assert counts == {"u16": 8, "u8": 11}  # code units: UTF-16 (é = 1, 😀 = 2) vs UTF-8 (é = 2, 😀 = 4)


def test_wasi_adapter_choice(sh, ld, old_objects, objects, tmp_path):
    none = sh([*ld, *old_objects, "--wasi-adapter=none", "-o", "none.wasm"], ok=False)
    assert none.returncode == 1
    assert "requires an import interface named `wasi_snapshot_preview1`" in none.stderr
    assert "hint:" in none.stderr
    assert not (tmp_path / "none.wasm").exists()
    for name in ("command", "auto"):
        (tmp_path / name).mkdir()
    sh([*ld, *old_objects, "--wasi-adapter", "command", "-o", "command/a.wasm"])
    sh([*ld, *old_objects, "-o", "auto/a.wasm"])
    assert (tmp_path / "command/a.wasm").read_bytes() == (
        tmp_path / "auto/a.wasm"
    ).read_bytes()  # _start -> command
    # A p1-free wasi-libc needs no adapter: `none` is what the default does anyway.
    (tmp_path / "none").mkdir()
    sh([*ld, *objects, "--wasi-adapter=none", "-o", "none/a.wasm"])
    sh([*ld, *objects, "-o", "auto/a.wasm"])
    assert (tmp_path / "none/a.wasm").read_bytes() == (tmp_path / "auto/a.wasm").read_bytes()


def test_reject_legacy_names_rejects_wasi_libc(sh, ld, objects, tmp_path):
    result = sh([*ld, *objects, "--reject-legacy-names", "-o", "x.wasm"], ok=False)
    assert result.returncode == 1
    assert "unknown or invalid component model import syntax" in result.stderr
    assert "x.wasm" in result.stderr.splitlines()[0]


def test_library_outputs_are_never_componentized(sh, ld, objects, tmp_path):
    sh([*ld, "-r", "hello.o", "-o", "partial.o"])
    from wasip2ld.wasm import read_module_file

    module = read_module_file(tmp_path / "partial.o")
    assert module.custom_sections("linking")  # a relocatable object, as wasm-ld wrote it


def test_missing_output_is_a_usage_error(sh, ld, objects):
    result = sh([*ld, *objects], ok=False)
    assert result.returncode == 2
    assert "-o/--output is required" in result.stderr


def test_delegation_falls_back_to_the_own_pipeline(sh, ld, objects, toolchain, tmp_path):
    """Without a real wasm-component-ld (Debian's clang has none) --delegate still links, with wasip2ld's
    pipeline; with one, the link is handed to it."""
    from wasip2ld.driver.resolve import is_wasip2ld_program

    real = toolchain.get("wasm-component-ld")
    result = sh([*ld, "-v", "--delegate", *objects, "-o", "d.wasm"])
    if real is None or is_wasip2ld_program(real.path):
        assert "not delegating:" in result.stderr
    else:
        assert str(real.path) in result.stderr
    assert layer(tmp_path / "d.wasm") == "component"


def test_long_command_lines_go_through_a_response_file(sh, ld, objects, tmp_path):
    many = [f"--export-if-defined=not_defined_symbol_number_{i:05d}" for i in range(4000)]
    result = sh([*ld, "-v", *objects, *many, "-o", "long.wasm"])
    wasm_ld_line = next(line for line in result.stderr.splitlines() if "wasm-ld " in line and "rsp" in line)
    assert "--rsp-quoting=posix @" in wasm_ld_line
    ok, out = run_command_component(tmp_path / "long.wasm", tmp_path)
    assert ok and out.startswith(GREETING_START)


def test_missing_compiler_rt_from_clang_is_replaced_by_the_discovered_one(sh, ld, objects, tmp_path):
    line = [
        ("/nonexistent/lib/wasi/libclang_rt.builtins-wasm32.a" if "libclang_rt" in a else a) for a in objects
    ]
    sh([*ld, *line, "-o", "rt.wasm"])
    assert layer(tmp_path / "rt.wasm") == "component"
