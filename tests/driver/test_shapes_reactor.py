"""A C reactor exporting a WIT interface with strings, lists, a record, a variant, an option, a result and a
resource (examples/shapes, prototypes from `wasip2ld sig --format c`), built in both modes:

* the component is called from wasmtime-py's component API with results checked;
* the module build target is instantiated with wasmtime's *core* API, with a Python host implementing the
  world's imports (the host function and the resource intrinsics), and its exports are called through the
  Canonical ABI by hand: the module runs in a core-only runtime.
"""

from __future__ import annotations

import shutil
import struct

import pytest

from .conftest import HELLO_C, SHAPES, exports_of, layer

WIT = SHAPES / "shapes.wit"
STANDARD = "cm32p2|demo:shapes/geometry@0.1|"


@pytest.fixture(scope="module")
def built(tmp_path_factory, driver_env) -> dict:
    """Both outputs, built by examples/shapes/Makefile (wasip2ld sig + wasip2-clang)."""
    from .conftest import Shell

    make = shutil.which("make")
    if make is None:
        pytest.fail("`make` is not installed", pytrace=False)
    out = tmp_path_factory.mktemp("shapes")
    Shell(driver_env, out)([make, "-f", SHAPES / "Makefile", f"OUT={out}"])
    return {"component": out / "shapes.component.wasm", "module": out / "shapes.module.wasm", "dir": out}


def test_component_is_called_from_wasmtime_with_every_type(built):
    import wasmtime
    from wasmtime import component as cm

    assert layer(built["component"]) == "component"
    engine = wasmtime.Engine()
    linker = cm.Linker(engine)
    logs: list[str] = []
    with linker.root() as root, root.add_instance("demo:shapes/host@0.1.0") as host:
        host.add_func("log", lambda store, message: logs.append(message))
    store = wasmtime.Store(engine)
    instance = linker.instantiate(store, cm.Component.from_file(engine, str(built["component"])))
    geometry = instance.get_export_index(store, "demo:shapes/geometry@0.1.0")

    def call(name, *args):
        func = instance.get_func(store, instance.get_export_index(store, name, geometry))
        result = func(store, *args)
        func.post_return(store)
        return result

    point = cm.Record()
    point.x, point.y = 3, -4
    assert call("greet", "wasm") == "Hello, wasm!"
    assert call("sum", [1, 2, 3, -10, 2**31 - 1]) == 2**31 - 5
    assert call("area", 2) == 12  # circle(2)
    assert call("area", point) == 12  # rect({3, -4})
    assert call("area", None) == 0  # nothing
    assert call("find", ["a", "bb", "c"], "bb") == 1
    assert call("find", ["a"], "zz") is None
    parsed = call("parse-point", "10,-20")
    assert (parsed.x, parsed.y) == (10, -20)
    assert call("parse-point", "nope") == "expected `x,y`, got nope"
    moved = call("translate", point, 1, 1)
    assert (moved.x, moved.y) == (4, -3)
    counter = call("[constructor]counter", 5)
    assert call("[method]counter.bump", counter, 3) == 8
    assert call("[method]counter.bump", counter, 4) == 12
    counter.drop(store)
    assert logs == ["greet called", "counter created at 5", "counter dropped"]


class CoreHost:
    """The world's imports, implemented in Python for wasmtime's core API."""

    def __init__(self, path):
        import wasmtime
        from wasmtime import FuncType, ValType

        i32 = ValType.i32()
        self.store = wasmtime.Store(wasmtime.Engine())
        self.logs: list[str] = []
        self.handles: dict[int, int] = {}
        self.next_handle = 1
        linker = wasmtime.Linker(self.store.engine)
        linker.define_func("cm32p2|demo:shapes/host@0.1", "log", FuncType([i32, i32], []), self.log)
        resources = "cm32p2|_ex_demo:shapes/geometry@0.1"
        linker.define_func(resources, "counter_new", FuncType([i32], [i32]), self.resource_new)
        linker.define_func(
            resources, "counter_rep", FuncType([i32], [i32]), lambda handle: self.handles[handle]
        )
        linker.define_func(resources, "counter_drop", FuncType([i32], []), self.resource_drop)
        module = wasmtime.Module.from_file(self.store.engine, str(path))
        self.exports = linker.instantiate(self.store, module).exports(self.store)
        self.memory = self.exports["cm32p2_memory"]
        self.exports["cm32p2_initialize"](self.store)

    def log(self, ptr: int, length: int) -> None:
        self.logs.append(self.read(ptr, length).decode())

    def resource_new(self, rep: int) -> int:
        handle, self.next_handle = self.next_handle, self.next_handle + 1
        self.handles[handle] = rep
        return handle

    def resource_drop(self, handle: int) -> None:
        self.call("counter_dtor", self.handles.pop(handle))

    def call(self, name: str, *args: int):
        return self.exports[STANDARD + name](self.store, *args)

    def read(self, ptr: int, length: int) -> bytes:
        return bytes(self.memory.read(self.store, ptr, ptr + length))

    def put(self, data: bytes, align: int = 1) -> int:
        ptr = self.exports["cm32p2_realloc"](self.store, 0, 0, align, len(data))
        self.memory.write(self.store, data, ptr)
        return ptr

    def string(self, text: str) -> tuple[int, int]:
        data = text.encode()
        return self.put(data), len(data)


def test_module_target_runs_in_a_core_runtime_with_a_python_host(built):
    module = built["module"]
    assert layer(module) == "module"
    host = CoreHost(module)

    ret = host.call("greet", *host.string("core"))
    ptr, length = struct.unpack("<ii", host.read(ret, 8))
    assert host.read(ptr, length) == b"Hello, core!"
    host.call("greet_post", ret)

    values = struct.pack("<3i", 5, -7, 40)
    assert host.call("sum", host.put(values, 4), 3) == 38
    assert (
        host.call("area", 0, 2, 0) == 12
        and host.call("area", 1, 3, -4) == 12
        and host.call("area", 2, 0, 0) == 0
    )

    words = [host.string(w) for w in ("x", "needle", "y")]
    haystack = host.put(b"".join(struct.pack("<ii", p, n) for p, n in words), 4)
    ret = host.call("find", haystack, 3, *host.string("needle"))
    assert struct.unpack("<BxxxI", host.read(ret, 8)) == (1, 1)

    ret = host.call("parse-point", *host.string("7,8"))
    assert struct.unpack("<Bxxxii", host.read(ret, 12)) == (0, 7, 8)
    ret = host.call("parse-point", *host.string("oops"))
    tag, ptr, length = struct.unpack("<Bxxxii", host.read(ret, 12))
    assert tag == 1 and host.read(ptr, length) == b"expected `x,y`, got oops"
    host.call("parse-point_post", ret)

    ret = host.call("translate", 1, 2, 10, 20)
    assert struct.unpack("<ii", host.read(ret, 8)) == (11, 22)

    handle = host.call("[constructor]counter", 40)
    rep = host.handles[handle]
    assert host.call("[method]counter.bump", rep, 2) == 42
    host.resource_drop(handle)
    assert host.logs == ["greet called", "counter created at 40", "counter dropped"]


def test_module_target_carries_its_world_and_needs_no_adapter(built, toolchain, sh):
    from wasip2ld.wit import world_from_module

    world = world_from_module(built["module"].read_bytes())
    assert world.name == "shapes"
    component = built["dir"] / "from-module.wasm"
    sh(
        [
            toolchain.path("wasm-tools"),
            "component",
            "new",
            "--reject-legacy-names",
            built["module"],
            "-o",
            component,
        ]
    )
    assert layer(component) == "component"


def test_standard32_module_uses_no_legacy_name(built, wasip2ld_cmd, sh):
    """wasm-ld's `memory` and wasi-libc's `_initialize` take their standard32 names, so the module is not
    reported as mixing the two schemes (and `--reject-legacy-names` above accepts it)."""
    exports = exports_of(built["module"])
    assert "cm32p2_initialize" in exports and "cm32p2_memory" in exports
    assert "_initialize" not in exports and "memory" not in exports
    report = sh([*wasip2ld_cmd, "check", "--strict", built["module"]]).stdout
    assert report.splitlines()[-1].startswith(f"{built['module']}: ok: matches world `demo:shapes/shapes@0.1.0`, "
                                              "standard32 names")
    assert "mixed" not in report


def test_world_and_mode_from_wasip2ld_toml_are_defaults_under_flags(sh, clang_cmd, built, tmp_path):
    (tmp_path / "wasip2ld.toml").write_text(
        f'[build]\nwit = "{WIT}"\nworld = "shapes"\nmode = "module"\nmangling = "standard32"\n'
    )
    common = [
        "-O2",
        "-mexec-model=reactor",
        "-DSHAPES_STANDARD32",
        f"-I{built['dir'] / 'standard32'}",
        SHAPES / "shapes.c",
    ]
    sh([*clang_cmd, *common, "-o", "from-config.wasm"])
    assert layer(tmp_path / "from-config.wasm") == "module"
    host = CoreHost(tmp_path / "from-config.wasm")
    assert host.call("translate", 0, 0, 2, 3) and host.read(
        host.call("translate", 0, 0, 2, 3), 8
    ) == struct.pack("<ii", 2, 3)
    sh([*clang_cmd, *common, "--component", "-o", "flag-wins.wasm"])
    assert layer(tmp_path / "flag-wins.wasm") == "component"


def test_bad_build_table_value_names_the_config_file(sh, clang_cmd, tmp_path):
    (tmp_path / "wasip2ld.toml").write_text('[build]\nmode = "modul"\n')
    result = sh([*clang_cmd, HELLO_C, "-o", "x.wasm"], ok=False)
    assert result.returncode != 0
    assert (
        "wasip2ld.toml" in result.stderr and "[build] mode must be one of component, module" in result.stderr
    )
    assert not (tmp_path / "x.wasm").exists()
