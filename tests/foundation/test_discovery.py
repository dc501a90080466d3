"""Toolchain discovery against the real installs and against install trees built here (a wasi-sdk layout made
of symlinks to the Debian tools), plus configuration precedence."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from wasip2ld.config import load_settings
from wasip2ld.errors import ConfigError, ToolchainError, UsageError
from wasip2ld.toolchain.descriptors import load_all
from wasip2ld.toolchain.discover import discover


def make_wasi_sdk(root: Path, toolchain) -> Path:
    """A wasi-sdk >= 22 layout whose binaries are symlinks to the real Debian tools."""
    (root / "bin").mkdir(parents=True)
    for name in ("clang", "clang++", "wasm-ld", "llvm-ar", "llvm-ranlib"):
        (root / "bin" / name).symlink_to(toolchain.path(name))
    sysroot = root / "share" / "wasi-sysroot"
    sysroot.parent.mkdir(parents=True)
    sysroot.symlink_to(toolchain.path("sysroot-wasip2"))
    rt = root / "lib" / "clang" / "22" / "lib" / "wasip2"
    rt.mkdir(parents=True)
    (rt / "libclang_rt.builtins-wasm32.a").symlink_to(toolchain.path("compiler-rt"))
    return root


def test_real_debian_llvm_is_found(toolchain, need):
    need("clang")
    assert toolchain.c_family is not None
    assert toolchain.c_family.name in {"debian-llvm", "wasi-sdk"}
    clang = toolchain.require("clang")
    out = subprocess.run([*clang.argv, "--version"], capture_output=True, text=True, check=True).stdout
    assert "clang version" in out
    assert toolchain.path("compiler-rt").name.startswith("libclang_rt.builtins")
    assert (toolchain.path("sysroot-wasip2") / "lib/wasm32-wasip2/libc.a").is_file()
    assert (toolchain.path("sysroot-wasip1") / "lib/wasm32-wasip1/libc.a").exists()


def test_debian_llvm_picks_newest_version(toolchain, need):
    need("clang")
    if toolchain.c_family.name == "debian-llvm":
        installed = sorted(int(p.name.split("-")[1]) for p in Path("/usr/lib").glob("llvm-*") if
                           (p / "bin/clang").exists() and p.name.split("-")[1].isdigit() and
                           (p / f"lib/clang/{p.name.split('-')[1]}/lib/wasi").is_dir())
        assert toolchain.c_root == Path(f"/usr/lib/llvm-{installed[-1]}")


def test_fake_wasi_sdk_via_flag_env_and_config(tmp_path, toolchain, isolated_env, monkeypatch):
    sdk = make_wasi_sdk(tmp_path / "sdk", toolchain)
    by_flag = discover(load_settings(roots={"wasi-sdk": str(sdk)}))
    assert by_flag.c_family.name == "wasi-sdk"
    assert by_flag.path("clang") == sdk / "bin/clang"
    assert by_flag.path("sysroot-wasip2") == sdk / "share/wasi-sysroot"
    assert by_flag.require("clang").source.startswith("wasi-sdk")

    monkeypatch.setenv("WASI_SDK_PATH", str(sdk))
    by_env = discover(load_settings())
    assert by_env.c_family.name == "wasi-sdk" and by_env.c_root == sdk

    monkeypatch.delenv("WASI_SDK_PATH")
    (isolated_env / "wasip2ld.toml").write_text(f'toolchain = "wasi-sdk"\nwasi-sdk = "{sdk}"\n')
    sub = isolated_env / "a" / "b"
    sub.mkdir(parents=True)
    monkeypatch.chdir(sub)  # found by walking up
    by_config = discover(load_settings())
    assert by_config.c_family.name == "wasi-sdk"
    assert by_config.settings.toolchain.source == f"config {isolated_env / 'wasip2ld.toml'}"


def test_fake_wasi_sdk_compiles_and_links(tmp_path, toolchain):
    sdk = make_wasi_sdk(tmp_path / "sdk", toolchain)
    tc = discover(load_settings(roots={"wasi-sdk": str(sdk)}))
    src = tmp_path / "x.c"
    src.write_text("int main(void){return 0;}\n")
    out = tmp_path / "x.wasm"
    subprocess.run([*tc.require("clang").argv, "--target=wasm32-wasip2", f"--sysroot={tc.path('sysroot-wasip2')}",
                    "-fuse-ld=lld", str(src), "-o", str(out)], check=True)
    assert out.read_bytes()[:4] == b"\0asm"


def test_precedence_flag_over_env_over_config(tmp_path, toolchain, isolated_env, monkeypatch):
    a, b, c = (tmp_path / n for n in "abc")
    for p in (a, b, c):
        p.symlink_to(toolchain.path("wasm-ld"))
    (isolated_env / "wasip2ld.toml").write_text(f'[tools]\nwasm-ld = "{a}"\n')
    assert discover(load_settings()).path("wasm-ld") == a
    monkeypatch.setenv("WASIP2LD_WASM_LD", str(b))
    assert discover(load_settings()).path("wasm-ld") == b
    assert discover(load_settings(tools={"wasm-ld": str(c)})).path("wasm-ld") == c
    assert discover(load_settings(tools={"wasm-ld": str(c)})).require("wasm-ld").source == "flag --tool wasm-ld"


def test_provisioned_sysroot_beats_system(tmp_path, toolchain, isolated_env, monkeypatch):
    data = tmp_path / "data"
    (data / "wasi-libc").mkdir(parents=True)
    (data / "wasi-libc" / "usr").symlink_to(toolchain.path("sysroot-wasip2"))
    monkeypatch.setenv("WASIP2LD_DATA_DIR", str(data))
    tc = discover(load_settings())
    assert tc.path("sysroot-wasip2") == data / "wasi-libc" / "usr"


def test_missing_part_names_install_command(isolated_env, monkeypatch, tmp_path):
    monkeypatch.setenv("WASIP2LD_DATA_DIR", str(tmp_path / "empty"))
    monkeypatch.setenv("WASIP2LD_TOOLCHAINS_DIR", str(tmp_path / "none"))
    tc = discover(load_settings(tools={}))
    assert tc.get("adapter-command") is None
    with pytest.raises(ToolchainError) as err:
        tc.require("adapter-command", "to make a command component")
    assert "adapter-command not found (needed to make a command component)" in err.value.message
    assert "wasip2ld toolchain install" in err.value.hint


def test_explicit_path_that_does_not_exist(isolated_env):
    with pytest.raises(ToolchainError, match=r"clang: /nope/clang \(flag --tool clang\) does not exist"):
        discover(load_settings(tools={"clang": "/nope/clang"}))


def test_unknown_toolchain_lists_known_ones(isolated_env):
    with pytest.raises(UsageError) as err:
        discover(load_settings(toolchain="msvc"))
    assert "unknown toolchain `msvc`" in err.value.message
    for name in ("wasi-sdk", "debian-llvm", "zig"):
        assert name in err.value.message


def test_named_toolchain_not_installed(isolated_env, tmp_path):
    with pytest.raises(ToolchainError, match="toolchain `wasi-sdk` .* is not installed"):
        discover(load_settings(toolchain="wasi-sdk", roots={"wasi-sdk": str(tmp_path / "no-sdk")}))


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('toolchain = "debian-llvm"\n\n[tools]\nclang = \n', ":4: invalid TOML"),
        ('toolchain = "debian-llvm"\n[tools]\nclangg = "/usr/bin/clang"\n', ":3: [tools]: unknown part `clangg`"),
        ('toolchain = "tcc"\n', ":1: unknown toolchain `tcc` (known toolchains: "),
    ],
    ids=["malformed", "unknown-part", "unknown-toolchain"],
)
def test_config_errors_report_file_and_line(isolated_env, text, expected):
    cfg = isolated_env / "wasip2ld.toml"
    cfg.write_text(text)
    with pytest.raises(ConfigError) as err:
        load_settings()
    assert err.value.message.startswith(f"{cfg}{expected}")


def test_new_family_is_only_a_toml_file(tmp_path, toolchain, isolated_env, monkeypatch):
    """Adding a toolchain family needs no code: a descriptor in WASIP2LD_TOOLCHAINS_DIR is enough."""
    root = tmp_path / "mytc"
    (root / "tools").mkdir(parents=True)
    (root / "tools" / "cc").symlink_to(toolchain.path("clang"))
    (root / "tools" / "ld").symlink_to(toolchain.path("wasm-ld"))
    descs = tmp_path / "descs"
    descs.mkdir()
    (descs / "mytc.toml").write_text(
        'name = "mytc"\nsummary = "test family"\nkind = "c"\npriority = 1\n'
        f'roots = ["{root}"]\nrequired = ["clang", "wasm-ld"]\n'
        '[parts.clang]\nfiles = ["{root}/tools/cc"]\n[parts.wasm-ld]\nfiles = ["{root}/tools/ld"]\n'
    )
    monkeypatch.setenv("WASIP2LD_TOOLCHAINS_DIR", str(descs))
    tc = discover(load_settings())
    assert tc.c_family.name == "mytc"
    assert tc.path("clang") == root / "tools/cc"


def test_bad_descriptor_reports_line(tmp_path, isolated_env, monkeypatch):
    descs = tmp_path / "descs"
    descs.mkdir()
    (descs / "bad.toml").write_text('name = "bad"\nkind = "c"\n[parts.klang]\nfiles = []\n')
    monkeypatch.setenv("WASIP2LD_TOOLCHAINS_DIR", str(descs))
    with pytest.raises(ConfigError) as err:
        discover(load_settings())
    assert err.value.message.startswith(f"{descs / 'bad.toml'}:3: unknown part `klang`")


def test_shipped_descriptors_load():
    names = {d.name for d in load_all()}
    assert {"wasi-sdk", "debian-llvm", "zig", "go", "wasm-tools", "jco", "wasi-libc"} <= names


def test_zig_family(toolchain, isolated_env):
    """The zig family resolves `zig cc` from PyPI's ziglang when it is installed, as a p1-only toolchain."""
    import importlib.util

    spec = importlib.util.find_spec("ziglang")
    if spec is None:
        pytest.fail("PyPI ziglang is a test dependency (pip install -e '.[test]')", pytrace=False)
    tc = discover(load_settings(toolchain="zig"))
    assert tc.c_family.name == "zig"
    clang = tc.require("clang")
    assert clang.argv[-1] == "cc" and Path(clang.argv[0]).name == "zig"
    assert tc.c_family.targets == ("wasm32-wasip1=wasm32-wasi",)  # zig spells the p1 target `wasm32-wasi`


def test_go_found(need):
    go = need("go")
    out = subprocess.run([str(go), "version"], capture_output=True, text=True, check=True).stdout
    assert out.startswith("go version go1.")


def test_impostor_wasm_tools_is_reported(tmp_path, isolated_env):
    fake = tmp_path / "wasm-tools"
    fake.write_text(f"#!{sys.executable}\nprint('wasm_tools 0.1 (some other project)')\n")
    fake.chmod(0o755)
    out = subprocess.run([sys.executable, "-m", "wasip2ld", "--tool", f"wasm-tools={fake}", "doctor", "--json"],
                         capture_output=True, text=True, env={**os.environ, "WASIP2LD_DATA_DIR": str(tmp_path)})
    import json

    doc = json.loads(out.stdout)
    assert doc["parts"]["wasm-tools"]["found"] is False
    assert "is not the expected wasm-tools" in doc["parts"]["wasm-tools"]["problem"]
    assert out.returncode == 1
