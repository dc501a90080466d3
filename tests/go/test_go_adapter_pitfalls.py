"""What goes wrong when Go's wasip1 output is glued to the jco WASI p1 adapters by hand (go build, component
embed, component new), i.e. the pitfalls docs/go.md describes and `wasip2ld go build` works around.

If one of these starts passing by hand (a new Go or adapter release fixed it), docs/go.md must change."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest
from wasmtime import Engine, Store, WasiConfig, WasmtimeError
from wasmtime.component import Component, Linker

from wasip2ld.gobuild import adapterfix
from wasip2ld.wasm.edit import ModuleEditor

WASM_ENV = {"GOOS": "wasip1", "GOARCH": "wasm"}


def _go_build(need, go_env, project: Path, out: Path, *flags: str) -> None:
    subprocess.run([str(need("go")), "build", *flags, "-o", str(out), "."], cwd=project, env={**go_env, **WASM_ENV},
                   check=True)  # fmt: skip


def _componentize(
    need, wasm_tools: str, core: Path, out: Path, adapter: str, wit: Path | None = None
) -> None:
    if wit is not None:
        subprocess.run([wasm_tools, "component", "embed", str(wit), str(core), "-o", str(core)], check=True)
    adapter_path = need(f"adapter-{adapter}")
    subprocess.run([wasm_tools, "component", "new", str(core), "--adapt", f"wasi_snapshot_preview1={adapter_path}",
                    "-o", str(out)], check=True)  # fmt: skip


def _calc_instance(component: Path, stderr: Path):
    engine = Engine()
    linker = Linker(engine)
    linker.add_wasip2()
    with linker.root() as root, root.add_instance("example:calc/host@0.1.0") as host:
        host.add_func("log", lambda store, msg: None)
        host.add_func("base", lambda store: 1)
        host.add_func("suffix", lambda store: "!")
    store = Store(engine)
    wasi = WasiConfig()
    wasi.stderr_file = str(stderr)
    store.set_wasi(wasi)
    return store, linker.instantiate(store, Component.from_file(engine, str(component)))


def test_by_hand_a_growing_heap_overwrites_the_adapter_state(need, go_env, go_project, wasm_tools, wasip2ld):
    project = go_project("alloc")
    _go_build(need, go_env, project, project / "core.wasm")
    _componentize(need, wasm_tools, project / "core.wasm", project / "by-hand.wasm", "command")
    result = wasip2ld(["run", "by-hand.wasm"], cwd=project, ok=False)
    assert result.returncode == 134  # a trap
    assert "assertion failed at adapter line" in result.stderr
    assert "done:" not in result.stdout


def test_by_hand_a_go_cabi_realloc_breaks_instantiation(need, go_env, go_project, wasm_tools):
    """The adapter allocates its state through the module's cabi_realloc during Go's runtime start-up,
    before Go can run a //go:wasmexport function."""
    need("wasmtime")
    project = go_project("calc")
    _go_build(need, go_env, project, project / "core.wasm", "-buildmode=c-shared")
    _componentize(
        need, wasm_tools, project / "core.wasm", project / "by-hand.wasm", "reactor", project / "wit"
    )
    with pytest.raises(WasmtimeError) as failed:
        _calc_instance(project / "by-hand.wasm", project / "stderr.txt")
    assert "runtime." in str(failed.value)


def test_with_the_arena_alone_allocating_in_cabi_realloc_leaves_the_instance(
    need, go_env, go_project, wasm_tools
):
    """Go's allocator reads the clock (an import) while the host runs cabi_realloc, which the Component
    Model forbids; wasip2ld's clock guard is what makes large arguments work."""
    need("wasmtime")
    project = go_project("calc")
    (project / "arena.go").write_text(adapterfix.overlay_source())
    core = project / "core.wasm"
    _go_build(need, go_env, project, core, "-buildmode=c-shared")
    editor = ModuleEditor(core.read_bytes())
    adapterfix.add_adapter_realloc(editor, adapterfix.find_arena(editor.data, "core.wasm"))
    core.write_bytes(editor.to_bytes())
    _componentize(need, wasm_tools, core, project / "arena-only.wasm", "reactor", project / "wit")
    store, instance = _calc_instance(project / "arena-only.wasm", project / "stderr.txt")
    calc = instance.get_export_index(store, "example:calc/calc@0.1.0")
    greet = instance.get_func(store, instance.get_export_index(store, "greet", calc))
    with pytest.raises(WasmtimeError) as failed:
        for i in range(60):
            greet(store, "x" * 200_000)
            greet.post_return(store)
    assert "cannot leave component instance" in str(failed.value)
    assert "clock_time_get" in str(failed.value)


def test_go_runtime_reads_stdio_fdstat_and_the_adapter_answers(wasip2ld, go_project):
    """Go's os package asks fd_fdstat_get about stdio at start-up (go-modules#367); the jco adapters answer
    it, and stdout is a plain stream (not a character device) for the guest."""
    project = go_project("hello")
    (project / "stat.go").write_text(
        'package main\n\nimport (\n\t"fmt"\n\t"os"\n)\n\nfunc init() {\n'
        '\tinfo, err := os.Stdout.Stat()\n\tfmt.Println("stat:", err, info.Mode()&os.ModeCharDevice != 0)\n}\n'
    )
    wasip2ld(["go", "build", "-o", "stat.wasm", "."], cwd=project)
    assert wasip2ld(["run", "stat.wasm"], cwd=project).stdout.splitlines()[0] == "stat: <nil> false"


def test_overlay_of_the_user_is_kept(wasip2ld, go_project, tmp_path):
    project = go_project("hello")
    replacement = tmp_path / "extra.go"
    replacement.write_text('package main\n\nfunc init() { println("from the user overlay") }\n')
    overlay = tmp_path / "overlay.json"
    overlay.write_text(json.dumps({"Replace": {str(project / "extra.go"): str(replacement)}}))
    wasip2ld(["go", "build", "-overlay", str(overlay), "-o", "ov.wasm", "."], cwd=project)
    assert "from the user overlay" in wasip2ld(["run", "ov.wasm"], cwd=project).stderr
    assert not (project / "extra.go").exists()
