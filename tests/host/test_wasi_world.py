"""The core host implements every import of `wasi:cli/command` (each WASI 0.2.x release jco ships, all
features on, both name schemes): wit-component's dummy module for that world links, and `run --engine core`
reports its trap like the component path does."""

from __future__ import annotations

import re
import subprocess
import sys

import pytest
import wasmtime

from wasip2ld.host import Trap, instantiate
from wasip2ld.host.command import run_command
from wasip2ld.host.wasi import Wasi
from wasip2ld.wasm import read_module
from wasip2ld.wasm.encode import uleb
from wasip2ld.wit.binary import Unsupported, decode_world

from .wat import BUMP_REALLOC


def wasi_trees(root, base):
    """One directory per WASI 0.2.x release: wasi-cli's package.wit with the other packages in deps/."""
    trees = []
    for release in sorted(p for p in root.iterdir() if re.fullmatch(r"0\.2\.\d+", p.name)
                          and (p / "wasi-cli").is_dir()):
        tree = base / release.name
        (tree / "deps").mkdir(parents=True)
        (tree / "package.wit").symlink_to(release / "wasi-cli" / "package.wit")
        for other in release.iterdir():
            if other.name != "wasi-cli" and (other / "package.wit").is_file():
                (tree / "deps" / other.name).symlink_to(other, target_is_directory=True)
        trees.append(tree)
    assert trees, f"no WASI 0.2.x WIT under {root}"
    return trees


@pytest.fixture(scope="module")
def command_dummies(need, wasm_tools, tmp_path_factory):
    base = tmp_path_factory.mktemp("wasi-command")
    out = []
    for tree in wasi_trees(need("wasi-wit"), base):
        for mangling in ("legacy", "standard32"):
            wasm = base / f"{tree.name}-{mangling}.wasm"
            subprocess.run([wasm_tools, "component", "embed", "--all-features", "--dummy-names", mangling, tree,
                            "-w", "wasi:cli/command", "-o", wasm], check=True)
            out.append((tree.name, mangling, wasm))
    return out


def test_every_wasi_cli_command_import_is_implemented(command_dummies):
    for release, mangling, wasm in command_dummies:
        inst = instantiate(wasm, wasi=Wasi())
        assert inst.mangling == mangling, release
        imports = {i.module for i in wasmtime.Module.from_file(inst.store.engine, str(wasm)).imports}
        assert {"wasi:filesystem/types", "wasi:sockets/tcp", "wasi:cli/exit"} <= {_interface(m) for m in imports}
        with pytest.raises(Trap, match="unreachable"):
            run_command(wasm, Wasi())


def _interface(module: str) -> str:
    """`wasi:cli/exit@0.2.12` or `cm32p2|wasi:cli/exit@0.2` → `wasi:cli/exit`."""
    return module.removeprefix("cm32p2|").split("@")[0]


def test_run_engine_core_reports_a_trap_with_exit_134(command_dummies):
    _, _, wasm = command_dummies[0]
    proc = subprocess.run([sys.executable, "-m", "wasip2ld", "run", "--engine", "core", wasm],
                          capture_output=True, text=True)
    assert proc.returncode == 134, proc.stderr
    assert proc.stderr.startswith(f"wasip2ld: error: {wasm}: the program trapped: wasm `unreachable` instruction")
    assert "Traceback" not in proc.stderr


def test_run_engine_core_refuses_a_component(tmp_path):
    comp = tmp_path / "x.wasm"
    comp.write_bytes(b"\0asm\x0d\x00\x01\x00")
    proc = subprocess.run([sys.executable, "-m", "wasip2ld", "run", "--engine", "core", comp],
                          capture_output=True, text=True)
    assert proc.returncode == 2 and "is a component; --engine core runs core module build targets" in proc.stderr


COMMAND_WAT = r"""
(module
  (import "wasi:cli/stdout@V" "get-stdout" (func $get_stdout (result i32)))
  (import "wasi:io/streams@V" "[method]output-stream.blocking-write-and-flush" (func $write (param i32 i32 i32 i32)))
  (import "wasi:io/streams@V" "[resource-drop]output-stream" (func $drop (param i32)))
  (import "wasi:cli/environment@V" "get-arguments" (func $args (param i32)))
  (import "wasi:filesystem/preopens@V" "get-directories" (func $dirs (param i32)))
  (import "wasi:cli/exit@V" "exit" (func $exit (param i32)))
  (memory (export "memory") 1)
""" + BUMP_REALLOC + r"""
  (data (i32.const 16) "hello from wat\n")
  (func $say (param $out i32) (param $ptr i32) (param $len i32)
    (call $write (local.get $out) (local.get $ptr) (local.get $len) (i32.const 64))
    (if (i32.load8_u (i32.const 64)) (then unreachable)))              ;; result<_, stream-error> is ok
  (func (export "wasi:cli/run@V#run") (result i32) (local $out i32) (local $list i32)
    (local.set $out (call $get_stdout))
    (call $say (local.get $out) (i32.const 16) (i32.const 15))
    (call $args (i32.const 80))                                        ;; list<string> at 80: ptr, len
    (local.set $list (i32.load (i32.const 80)))
    (call $say (local.get $out) (i32.load offset=8 (local.get $list)) (i32.load offset=12 (local.get $list)))
    (call $dirs (i32.const 88))                                        ;; list<tuple<descriptor, string>>
    (local.set $list (i32.load (i32.const 88)))
    (call $say (local.get $out) (i32.load offset=4 (local.get $list)) (i32.load offset=8 (local.get $list)))
    (call $drop (local.get $out))
    (call $exit (i32.const 1))                                         ;; result::err: exit code 1
    unreachable)
)
"""


def test_python_programs_give_a_module_stdout_args_and_preopens(need, tmp_path):
    import io

    tree = wasi_trees(need("wasi-wit"), tmp_path / "wit")[-1]
    wasm = wasmtime.wat2wasm(COMMAND_WAT.replace("@V", f"@{tree.name}"))
    stdout = io.BytesIO()
    wasi = Wasi(args=["prog", "ARG1"], dirs=[(tmp_path, "/data")], stdout=stdout)
    assert run_command(wasm, wasi, wit=tree, world="wasi:cli/command") == 1
    assert stdout.getvalue() == b"hello from wat\nARG1/data"


def test_sockets_answer_not_supported():
    from wasip2ld.host import Err

    wasi = Wasi()
    network = wasi.lookup("wasi:sockets/instance-network@0.2.12", "instance-network")()
    for iface, name, args in (("tcp-create-socket", "create-tcp-socket", ("ipv4",)),
                              ("udp-create-socket", "create-udp-socket", ("ipv6",)),
                              ("ip-name-lookup", "resolve-addresses", (network, "example.org"))):
        assert wasi.lookup(f"wasi:sockets/{iface}@0.2.0", name)(*args) == Err("not-supported")
    assert wasi.lookup("wasi:sockets/tcp@0.3.0", "create-tcp-socket") is None  # only WASI 0.2.x here


def test_run_engine_core_refuses_a_library_and_a_module_without_world(calc, tmp_path):
    bare = tmp_path / "bare.wasm"
    bare.write_bytes(wasmtime.wat2wasm('(module (func (export "x")))'))
    for wasm, message in ((calc, "no implementation for the import `demo:calc/log@1.0.0` `log`"),
                          (bare, "has no `component-type` custom section")):
        proc = subprocess.run([sys.executable, "-m", "wasip2ld", "run", "--engine", "core", wasm],
                              capture_output=True, text=True)
        assert proc.returncode == 2 and f"wasip2ld: error: {wasm}: {message}" in proc.stderr, proc.stderr
        assert len(proc.stderr.splitlines()) == 2 and "Traceback" not in proc.stderr


def test_a_world_the_in_process_decoder_leaves_is_read_by_wasm_tools(calc, tmp_path):
    """A `package-docs` section inside the world's section (no toolchain here writes one) is left to
    `wasm-tools component wit`: read (docs version 1), or refused with its message (version 2)."""
    module = calc.read_bytes()
    (section,) = read_module(module).custom_sections("component-type")
    rest = module[: section.offset] + module[section.data_offset + len(section.data) :]
    read, refused = (rest + _custom(b"component-type", bytes(section.data) + _custom(b"package-docs", v + b"{}"))
                     for v in (b"\x01", b"\x02"))
    for wasm in (read, refused):
        with pytest.raises(Unsupported, match="docs section"):
            decode_world(read_module(wasm).custom_sections("component-type")[0].data)
    inst = instantiate(read, imports={"demo:calc/log@1.0.0": {"log": lambda message: None}})
    assert (inst.world.id, inst.exports["add"](2, 3)) == ("demo:calc/calc@1.0.0", 5)
    path = tmp_path / "refused.wasm"
    path.write_bytes(refused)
    proc = subprocess.run([sys.executable, "-m", "wasip2ld", "run", "--engine", "core", path],
                          capture_output=True, text=True)
    assert proc.returncode == 2, proc.stderr
    assert proc.stderr.startswith(f"wasip2ld: error: {path}: cannot decode the WIT world in its section "
                                  "`component-type`: ") and "package-docs version" in proc.stderr, proc.stderr
    assert "Traceback" not in proc.stderr


def _custom(name: bytes, payload: bytes) -> bytes:
    body = uleb(len(name)) + name + payload
    return b"\0" + uleb(len(body)) + body
