"""`wasip2ld run`: components, WASI p1 modules and core-module build targets under wasmtime, with the
guest's exit code, arguments, environment and preopened directories."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from wasip2ld.runner import componentcache

from .rawbuild import c_component, component, core_module

PROBE = r"""
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
int main(int argc, char **argv) {
    printf("argc=%d argv0=%s\n", argc, argv[0]);
    for (int i = 1; i < argc; i++) printf("arg[%d]=%s\n", i, argv[i]);
    const char *names[] = {"GREETING", "PASSED", "UNSET"};
    for (int i = 0; i < 3; i++) { const char *v = getenv(names[i]); printf("%s=%s\n", names[i], v ? v : "<none>"); }
    if (argc > 1 && strcmp(argv[1], "read") == 0) {
        FILE *f = fopen(argv[2], "r");
        if (!f) { printf("cannot open %s\n", argv[2]); return 3; }
        char line[128]; fgets(line, sizeof line, f); printf("read: %s", line); fclose(f);
    }
    if (argc > 1 && strcmp(argv[1], "exit") == 0) return atoi(argv[2]);
    if (argc > 1 && strcmp(argv[1], "abort") == 0) abort();
    return 0;
}
"""


def wasip2ld(*args: str, **kw) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "wasip2ld", *args], capture_output=True, text=True, **kw)


@pytest.fixture(scope="module")
def probe(toolchain, tmp_path_factory) -> Path:
    return c_component(toolchain, tmp_path_factory.mktemp("probe"), "probe", PROBE)


@pytest.fixture(scope="module")
def probe_p1(toolchain, tmp_path_factory) -> Path:
    tmp = tmp_path_factory.mktemp("probe-p1")
    (tmp / "probe.c").write_text(PROBE)
    return core_module(toolchain, tmp / "probe.c", tmp / "probe-p1.wasm", target="wasm32-wasip1")


def test_component_gets_args_and_only_the_env_it_is_given(probe, monkeypatch):
    monkeypatch.setenv("PASSED", "from-host")
    monkeypatch.setenv("UNSET", "host-only")
    res = wasip2ld("run", "--env", "GREETING=hi there", "--env", "PASSED", "--argv0", "probe", str(probe), "a", "--b")
    assert res.returncode == 0, res.stderr
    assert res.stdout.splitlines() == [
        "argc=3 argv0=probe", "arg[1]=a", "arg[2]=--b", "GREETING=hi there", "PASSED=from-host", "UNSET=<none>",
    ]


def test_component_argv0_defaults_to_the_file_as_given(probe):
    res = wasip2ld("run", str(probe))
    assert res.stdout.splitlines()[0] == f"argc=1 argv0={probe}"


def test_preopened_dir_under_a_guest_name_and_relative_to_dot(probe, tmp_path):
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "in.txt").write_text("hello file\n")
    mapped = wasip2ld("run", "--dir", f"{tmp_path / 'data'}::/input", str(probe), "read", "/input/in.txt")
    assert mapped.returncode == 0, mapped.stdout + mapped.stderr
    assert "read: hello file" in mapped.stdout
    relative = wasip2ld("run", "--dir", ".", str(probe), "read", "data/in.txt", cwd=tmp_path)
    assert "read: hello file" in relative.stdout
    denied = wasip2ld("run", str(probe), "read", "data/in.txt", cwd=tmp_path)
    assert denied.returncode == 1 and "cannot open data/in.txt" in denied.stdout


def test_host_fs_opens_relative_and_absolute_paths_like_a_native_program(probe, tmp_path):
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "in.txt").write_text("relative\n")
    elsewhere = tmp_path / "elsewhere.txt"
    elsewhere.write_text("absolute\n")
    climbing = f"{tmp_path}/data/{'../' * len(tmp_path.parts)}{str(elsewhere)[1:]}"  # Meson's <build>/../<src>
    for path, text in (("data/in.txt", "relative"), (str(elsewhere), "absolute"), (climbing, "absolute")):
        res = wasip2ld("run", "--host-fs", str(probe), "read", path, cwd=tmp_path / "data" / "..")
        assert res.returncode == 0 and f"read: {text}" in res.stdout, res.stdout + res.stderr
    # The combination build systems used to pass: the later preopen shadows the other for every path.
    both = [wasip2ld("run", "--dir=.", "--dir=/", str(probe), "read", path, cwd=tmp_path).returncode
            for path in ("data/in.txt", str(elsewhere))]
    assert both.count(0) == 1


def test_component_exit_status_is_ok_or_err(probe):
    # WASI 0.2's wasi:cli/exit carries only ok/err: every non-zero status becomes 1.
    assert wasip2ld("run", str(probe), "exit", "0").returncode == 0
    assert wasip2ld("run", str(probe), "exit", "42").returncode == 1


def test_p1_module_keeps_the_full_exit_code(probe_p1):
    res = wasip2ld("run", "--env", "GREETING=p1", str(probe_p1), "exit", "42")
    assert res.returncode == 42
    assert "GREETING=p1" in res.stdout


def test_trap_exits_134_with_a_one_line_reason(probe):
    res = wasip2ld("run", str(probe), "abort")
    assert res.returncode == 134
    first = res.stderr.splitlines()[0]
    assert first.startswith(f"wasip2ld: error: {probe}: the program trapped: ")
    assert "unreachable" in first and "abort" in first
    assert "Traceback" not in res.stderr


def test_module_build_target_is_componentized_and_run(toolchain, tmp_path, wasi_wit):
    random_wit = (wasi_wit / "wasi-random" / "package.wit")
    version = random_wit.read_text().split("package wasi:random@", 1)[1].split(";", 1)[0]
    deps = tmp_path / "wit" / "deps" / "random"
    deps.mkdir(parents=True)
    (deps / "package.wit").write_text(random_wit.read_text())
    (tmp_path / "wit" / "world.wit").write_text(
        f"package test:rnd;\nworld rnd {{\n  import wasi:random/random@{version};\n}}\n")
    (tmp_path / "rnd.c").write_text(f"""
#include <stdio.h>
#include <stdint.h>
__attribute__((import_module("wasi:random/random@{version}"), import_name("get-random-u64")))
extern uint64_t get_random_u64(void);
int main(void) {{ printf("distinct=%d\\n", get_random_u64() != get_random_u64()); return 0; }}
""")
    core = core_module(toolchain, tmp_path / "rnd.c", tmp_path / "rnd.core.wasm")
    target = tmp_path / "rnd.wasm"
    subprocess.run([str(toolchain.path("wasm-tools")), "component", "embed", str(tmp_path / "wit"),
                    "--world", "rnd", str(core), "-o", str(target)], check=True)
    res = wasip2ld("run", "-v", str(target), env={**os.environ, "WASIP2LD_CACHE_DIR": str(tmp_path / "cache")})
    assert res.returncode == 0, res.stderr
    assert res.stdout == "distinct=1\n"
    assert "component new" in res.stderr  # -v shows the componentize step


HELLO = '#include <stdio.h>\nint main(int argc, char **argv) { printf("hello %s\\n", argv[1]); return 0; }\n'


@pytest.fixture(scope="module")
def hello_module(tmp_path_factory) -> Path:
    tmp = tmp_path_factory.mktemp("hello-module")
    (tmp / "hello.c").write_text(HELLO)
    driver = Path(sys.executable).parent / "wasip2-clang"
    subprocess.run([str(driver), "--module", "hello.c", "-o", "hello.wasm"], cwd=tmp, check=True)
    return tmp / "hello.wasm"


def test_module_target_is_componentized_once_then_taken_from_the_cache(toolchain, hello_module, tmp_path):
    env = {**os.environ, "WASIP2LD_CACHE_DIR": str(tmp_path / "cache")}
    first, second = (wasip2ld("run", "-v", str(hello_module), "x", env=env) for _ in range(2))
    assert first.returncode == second.returncode == 0, first.stderr + second.stderr
    assert first.stdout == second.stdout == "hello x\n"
    assert "component new" in first.stderr and "component new" not in second.stderr
    entries = list((tmp_path / "cache" / "components").glob("*.wasm"))
    assert len(entries) == 1
    # The entry is the component `component new` makes, behind a header and its SHA-256.
    made = tmp_path / "made.wasm"
    subprocess.run([str(toolchain.path("wasm-tools")), "component", "new", str(hello_module), "-o", str(made)],
                   check=True)
    assert entries[0].read_bytes().endswith(made.read_bytes())


@pytest.mark.parametrize("damage", ["garbage", "truncated", "flipped"])
def test_a_corrupt_cache_entry_is_ignored_and_replaced(hello_module, tmp_path, damage):
    env = {**os.environ, "WASIP2LD_CACHE_DIR": str(tmp_path / "cache")}
    assert wasip2ld("run", str(hello_module), "a", env=env).returncode == 0
    (entry,) = (tmp_path / "cache" / "components").glob("*.wasm")
    good = entry.read_bytes()
    bad = {"garbage": b"\0asm not a cache entry", "truncated": good[: len(good) // 2],
           "flipped": good[:-1] + bytes([good[-1] ^ 1])}[damage]
    entry.write_bytes(bad)
    res = wasip2ld("run", "-v", str(hello_module), "b", env=env)
    assert res.returncode == 0, res.stderr
    assert res.stdout == "hello b\n" and "component new" in res.stderr  # not trusted: made again
    assert entry.read_bytes() == good


def test_concurrent_runs_share_the_cache(hello_module, tmp_path):
    env = {**os.environ, "WASIP2LD_CACHE_DIR": str(tmp_path / "cache")}
    runs = [subprocess.Popen([sys.executable, "-m", "wasip2ld", "run", str(hello_module), str(i)], env=env,
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for i in range(4)]
    results = [(run.communicate(timeout=120), run.returncode) for run in runs]
    assert [(out, code) for (out, _), code in results] == [(f"hello {i}\n", 0) for i in range(4)]
    assert len(list((tmp_path / "cache" / "components").iterdir())) == 1  # no temporary file left behind


def test_the_cache_key_covers_the_module_the_adapter_and_wasm_tools(hello_module, tmp_path):
    tools = componentcache.cached_tools()
    assert tools is not None and tools.adapter is not None
    module = hello_module.read_bytes()
    adapter = tmp_path / "adapter.wasm"
    adapter.write_bytes(tools.adapter.read_bytes())
    wasm_tools = tmp_path / "wasm-tools"
    wasm_tools.write_bytes(b"a stand-in: only its path, size and mtime are read")
    base = componentcache.entry_key(module, componentcache.ComponentTools(adapter, wasm_tools))
    assert base == componentcache.entry_key(module, componentcache.ComponentTools(adapter, wasm_tools))
    keys = {base, componentcache.entry_key(module + b"\0", componentcache.ComponentTools(adapter, wasm_tools))}
    adapter.write_bytes(adapter.read_bytes() + b"\0")
    keys.add(componentcache.entry_key(module, componentcache.ComponentTools(adapter, wasm_tools)))
    os.utime(wasm_tools, ns=(0, 0))
    keys.add(componentcache.entry_key(module, componentcache.ComponentTools(adapter, wasm_tools)))
    assert len(keys) == 4
    assert componentcache.entry_key(module, componentcache.ComponentTools(adapter, tmp_path / "gone")) is None


def test_reactor_component_is_refused_as_not_a_command(toolchain, tmp_path):
    lib = c_component(toolchain, tmp_path, "lib", "int add(int a, int b) { return a + b; }\n",
                      flags=["-mexec-model=reactor", "-Wl,--export=add"], adapter="adapter-reactor")
    res = wasip2ld("run", str(lib))
    assert res.returncode == 2
    assert f"{lib}: the component does not export `wasi:cli/run@0.2.0`" in res.stderr


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["missing.wasm"], "missing.wasm: no such file"),
        (["notwasm.wasm"], "notwasm.wasm: not a WebAssembly binary"),
        (["--dir", "nodir", "PROBE"], "--dir nodir: nodir is not a directory"),
        (["--dir", "a::", "PROBE"], "--dir a::: expected HOST or HOST::GUEST"),
        (["--env", "=x", "PROBE"], "--env =x: expected NAME=VALUE or NAME"),
    ],
)
def test_bad_input_is_one_line_and_exit_2(probe, tmp_path, args, message):
    (tmp_path / "notwasm.wasm").write_text("int main;")
    res = wasip2ld("run", *[str(probe) if a == "PROBE" else a for a in args], cwd=tmp_path)
    assert res.returncode == 2
    assert res.stderr.splitlines()[0] == f"wasip2ld: error: {message}" or res.stderr.startswith(
        f"wasip2ld: error: {message}")
    assert "Traceback" not in res.stderr


def test_unsatisfiable_import_names_the_problem(toolchain, tmp_path):
    code = """
__attribute__((import_module("acme:widgets/gears@1.0.0"), import_name("spin"))) extern int spin(int);
int main(void) { return spin(1); }
"""
    (tmp_path / "w.c").write_text(code)
    wit = tmp_path / "wit"
    wit.mkdir()
    (wit / "w.wit").write_text(
        "package acme:widgets@1.0.0;\ninterface gears { spin: func(x: s32) -> s32; }\n"
        "world w { import gears; }\n")
    core = core_module(toolchain, tmp_path / "w.c", tmp_path / "w.core.wasm")
    target = tmp_path / "w.wasm"
    subprocess.run([str(toolchain.path("wasm-tools")), "component", "embed", str(wit), "--world", "w",
                    str(core), "-o", str(target)], check=True)
    res = wasip2ld("run", str(target))
    assert res.returncode == 2
    assert res.stderr.startswith(f"wasip2ld: error: {target}: cannot instantiate: ")
    assert "acme:widgets/gears@1.0.0" in res.stderr.splitlines()[0]


def test_compile_failure_shows_the_whole_cause_chain_and_the_fix(toolchain, tmp_path):
    # Built with the raw toolchain: wasip2ld's own linker refuses this code (tests/driver/test_engine_features.py).
    (tmp_path / "sj.c").write_text(
        "#include <setjmp.h>\nstatic jmp_buf jb;\n"
        "int main(int argc, char **argv) { if (setjmp(jb) == 0 && argc > 0) longjmp(jb, 1); return 0; }\n")
    core = core_module(toolchain, tmp_path / "sj.c", tmp_path / "sj.core.wasm",
                       flags=["-mllvm", "-wasm-enable-sjlj", "-mllvm", "-wasm-use-legacy-eh=true", "-lsetjmp"])
    target = component(toolchain, core, tmp_path / "sj.wasm")
    res = wasip2ld("run", str(target))
    assert res.returncode == 2
    error, hint = res.stderr.splitlines()
    assert error.startswith(f"wasip2ld: error: {target}: wasmtime cannot compile it: failed to compile: ")
    assert error.endswith("legacy_exceptions feature required for try instruction")
    assert hint.startswith("wasip2ld: hint: ") and "-mllvm -wasm-use-legacy-eh=false" in hint


def test_a_slow_compile_says_what_it_is_doing(probe, monkeypatch, capfd):
    """A large component takes seconds to compile on its first run: `run` says so on a terminal's stderr.
    The slowness and the terminal are injected; a fast run prints nothing of the kind."""
    import time

    import wasmtime.component

    from wasip2ld.runner import RunSpec, execute

    spec = RunSpec(probe, (), None, (), ())
    assert execute.run_wasm(spec) == 0
    assert "compiling" not in capfd.readouterr().err
    real = wasmtime.component.Component.from_file

    def slow(engine, path):
        time.sleep(0.5)
        return real(engine, path)

    monkeypatch.setattr(wasmtime.component.Component, "from_file", staticmethod(slow))
    monkeypatch.setattr(execute, "SLOW_COMPILE_NOTE_AFTER", 0.1)
    assert execute.run_wasm(spec) == 0
    assert capfd.readouterr().err == "", "no note when stderr is not a terminal (build systems, tests)"
    monkeypatch.setattr(execute, "_interactive", lambda: True)
    assert execute.run_wasm(spec) == 0
    err = capfd.readouterr().err
    assert err == f"wasip2ld: note: compiling {probe} to native code (once: later runs use wasmtime's cache)…\n"
