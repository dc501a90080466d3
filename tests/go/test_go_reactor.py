"""A Go reactor implementing a WIT interface, instantiated in wasmtime-py with the host import written in
Python; and a Go command whose world exports wasi:cli/run itself."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest
from wasmtime import Engine, ExitTrap, Store, WasiConfig
from wasmtime.component import Component, Linker

HOST = "example:calc/host@0.1.0"
CALC = "example:calc/calc@0.1.0"
DATA = Path(__file__).resolve().parent / "data"


@pytest.fixture(scope="module")
def calc_component(tmp_path_factory, wasip2ld, need):
    need("wasmtime")
    project = tmp_path_factory.mktemp("calc") / "calc"
    shutil.copytree(DATA / "calc", project)
    wasip2ld(["go", "build", "--wit", "wit", "--world", "plugin", "-o", "calc.wasm", "."], cwd=project)
    return project / "calc.wasm"


class CalcHost:
    """The host side of example:calc/host, and one instance of the component."""

    def __init__(self, component_path: Path) -> None:
        self.logs: list[str] = []
        engine = Engine()
        linker = Linker(engine)
        linker.add_wasip2()
        with linker.root() as root, root.add_instance(HOST) as host:
            host.add_func("log", lambda store, msg: self.logs.append(msg))
            host.add_func("base", lambda store: 100)
            host.add_func("suffix", lambda store: " (from Python)")
        self.store = Store(engine)
        wasi = WasiConfig()
        wasi.inherit_stderr()
        self.store.set_wasi(wasi)
        self.instance = linker.instantiate(self.store, Component.from_file(engine, str(component_path)))
        self.interface = self.instance.get_export_index(self.store, CALC)

    def call(self, name: str, *args):
        func = self.instance.get_func(
            self.store, self.instance.get_export_index(self.store, name, self.interface)
        )
        result = func(self.store, *args)
        func.post_return(self.store)
        return result


def test_reactor_exports_are_called_from_python(calc_component, wasm_tools):
    world = subprocess.run([wasm_tools, "component", "wit", str(calc_component)], capture_output=True, text=True,
                           check=True).stdout  # fmt: skip
    assert f"import {HOST};" in world and f"export {CALC};" in world
    assert "wasi:cli/run" not in world  # a reactor: no command entry point
    host = CalcHost(calc_component)
    assert host.call("add", 2, 3) == 105
    assert host.call("add", -7, -100) == -7
    assert host.call("scale", 1.5, 2.0) == 3.0
    assert host.call("scale", -0.25, 0.5) == -0.125
    assert host.call("mix", 1, 255) == 511
    assert host.call("mix", 2**48, 0) == 2**56
    assert host.call("count-bytes", bytes([1, 2, 3, 250])) == 256
    assert host.call("greet", "Gopher") == "hello, GOPHER (from Python)"
    assert host.logs == ["greeting Gopher"]


def test_reactor_survives_many_calls_with_large_strings(calc_component):
    """Each call allocates (cabi_realloc, Go strings); the heap grows well past its first arena, where the
    adapter's state would be without wasip2ld's arena."""
    host = CalcHost(calc_component)
    for i in range(60):
        name = f"{i}-" + "x" * 200_000
        assert host.call("greet", name) == f"hello, {name.upper()} (from Python)"
        assert host.call("count-bytes", bytes(range(256)) * 400) == 255 * 128 * 400
    assert len(host.logs) == 60


def test_standard32_names_work_too(wasip2ld, go_project):
    """The same reactor with BuildTargets.md names: `cm32p2|…` directives, cm32p2_realloc, `…_post`; Go's
    memory and _initialize exports are renamed to their cm32p2 names."""
    project = go_project("calc")
    main = project / "main.go"
    text = main.read_text().replace(
        "//go:wasmimport example:calc/host@0.1.0 ", "//go:wasmimport cm32p2|example:calc/host@0.1 "
    )
    text = re.sub(
        r"//go:wasmexport cabi_post_example:calc/calc@0\.1\.0#(\S+)",
        r"//go:wasmexport cm32p2|example:calc/calc@0.1|\1_post",
        text,
    )
    text = re.sub(
        r"//go:wasmexport example:calc/calc@0\.1\.0#(\S+)",
        r"//go:wasmexport cm32p2|example:calc/calc@0.1|\1",
        text,
    )
    main.write_text(text.replace("//go:wasmexport cabi_realloc", "//go:wasmexport cm32p2_realloc"))
    wasip2ld(
        ["go", "build", "--mangling", "standard32", "--wit", "wit", "-o", "calc32.wasm", "."], cwd=project
    )
    host = CalcHost(project / "calc32.wasm")
    assert host.call("add", 2, 3) == 105
    assert host.call("greet", "s" * 300_000) == "hello, " + "S" * 300_000 + " (from Python)"


def test_world_exporting_run_builds_a_command_with_its_own_run(
    wasip2ld, go_project, with_wasi_deps, wasm_tools, need
):
    need("wasmtime")
    project = go_project("greeter")
    with_wasi_deps(project / "wit")
    result = wasip2ld(
        ["go", "build", "-v", "--wit", "wit", "--world", "app", "-o", "app.wasm", "."], cwd=project
    )
    assert "-buildmode" not in result.stderr  # a command ...
    assert "wasi_snapshot_preview1.reactor.wasm" in result.stderr  # ... whose run export is the Go module's
    engine = Engine()
    linker = Linker(engine)
    linker.add_wasip2()
    with linker.root() as root, root.add_instance("example:greeter/names@0.1.0") as names:
        names.add_func("prefix", lambda store: "hello, ")
    store = Store(engine)
    wasi = WasiConfig()
    out = project / "stdout.txt"
    wasi.stdout_file = str(out)
    wasi.argv = ["app", "one", "two"]
    store.set_wasi(wasi)
    instance = linker.instantiate(store, Component.from_file(engine, str(project / "app.wasm")))
    run_index = instance.get_export_index(store, "wasi:cli/run@0.2.12")
    run = instance.get_func(store, instance.get_export_index(store, "run", run_index))
    # Go's runtime ends every program with proc_exit(0): the adapter turns it into wasi:cli/exit(ok).
    with pytest.raises(ExitTrap) as exited:
        run(store)
    assert exited.value.code == 0
    assert out.read_text() == "hello, world 3\n"


def test_command_adapter_is_refused_for_a_world_exporting_run(wasip2ld, go_project, with_wasi_deps):
    project = go_project("greeter")
    with_wasi_deps(project / "wit")
    result = wasip2ld(["go", "build", "--wit", "wit", "--wasi-adapter", "command", "-o", "app.wasm", "."],
                      cwd=project, ok=False)  # fmt: skip
    assert result.returncode == 2
    assert "--wasi-adapter=command" in result.stderr and "exports wasi:cli/run" in result.stderr
    assert not (project / "app.wasm").exists()
