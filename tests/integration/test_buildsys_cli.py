"""`wasip2ld cmake`, `wasip2ld make` and `wasip2ld meson-cross`: what they hand the build system."""
from __future__ import annotations

import os
import shlex
import subprocess
import sys
from pathlib import Path

from wasip2ld.buildsys.meson_cross import on_path_text

from .conftest import ROOT


def wasip2ld(*args: str, **kw) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "wasip2ld", *args], capture_output=True, text=True, **kw)


def test_checked_in_meson_cross_file_is_what_the_generator_writes():
    assert (ROOT / "integration" / "meson" / "wasip2-cross.ini").read_text() == on_path_text()


def test_meson_cross_has_absolute_tools_and_the_run_wrapper(toolchain, tmp_path):
    out = tmp_path / "wasip2.ini"
    res = wasip2ld("meson-cross", "-o", str(out))
    assert res.returncode == 0, res.stderr
    text = out.read_text()
    assert f"ar = '{toolchain.path('llvm-ar')}'" in text
    assert f"ranlib = '{toolchain.path('llvm-ranlib')}'" in text
    c_line = next(line for line in text.splitlines() if line.startswith("c = "))
    assert Path(c_line.split("'")[1]).is_absolute() and c_line.endswith("wasip2-clang']")
    assert "'run', '--inherit-env', '--host-fs', '--']" in text
    assert "link_args" not in text  # Meson's sanity check links a p1-using main: never --module globally
    assert "default_library = 'static'" in text and "system = 'wasi'" in text


def test_make_bad_wit_is_a_one_line_error(tmp_path):
    res = wasip2ld("make", "--wit", str(tmp_path / "nope.wit"), "--print-env")
    assert res.returncode == 2
    assert res.stderr == f"wasip2ld: error: --wit {tmp_path / 'nope.wit'}: no such file or directory\n"


def test_make_print_env_can_be_evaluated_by_a_shell(toolchain, tmp_path):
    wit = tmp_path / "w.wit"
    wit.write_text("package a:b;\nworld w {}\n")
    res = wasip2ld("make", "--module", "--wit", str(wit), "--print-env")
    assert res.returncode == 0, res.stderr
    shown = subprocess.run(["sh", "-c", res.stdout + 'printf "%s\\n" "$CC" "$AR" "$RANLIB" "$WASIP2_MODE"'],
                           capture_output=True, text=True, check=True).stdout.splitlines()
    cc = shlex.split(shown[0])
    assert cc[0].endswith("wasip2-clang") and cc[1:] == ["--module", f"--wit={wit}"]
    assert shown[1:] == [str(toolchain.path("llvm-ar")), str(toolchain.path("llvm-ranlib")), "module"]


def test_cmake_injects_the_toolchain_file_only_when_configuring(tmp_path):
    configure = wasip2ld("cmake", "--dry-run", "--module", "-S", "src", "-B", "build", cwd=tmp_path)
    assert configure.returncode == 0, configure.stderr
    argv = shlex.split(configure.stderr.strip())
    assert argv[-4:] == ["-S", "src", "-B", "build"]
    assert f"-DCMAKE_TOOLCHAIN_FILE={ROOT / 'integration' / 'cmake' / 'wasip2.cmake'}" in argv
    assert "-DWASIP2LD_MODE=module" in argv
    from wasip2ld.runner import binfmt

    suffix = "" if binfmt.active(binfmt.DEFAULT_NAME) else ".wasm"  # the toolchain file need not ask again
    assert f"-DWASIP2LD_EXECUTABLE_SUFFIX={suffix}" in argv
    build = wasip2ld("cmake", "--dry-run", "--build", "build", "-v", cwd=tmp_path)
    assert shlex.split(build.stderr.strip())[1:] == ["--build", "build", "-v"]


def test_missing_cmake_names_the_package(tmp_path):
    env = {"PATH": str(tmp_path), "HOME": str(tmp_path)}
    res = subprocess.run([sys.executable, "-m", "wasip2ld", "cmake", "-S", "."], capture_output=True, text=True,
                         env=env)
    assert res.returncode == 2
    assert res.stderr.splitlines()[0] == "wasip2ld: error: cmake not found on PATH"
    assert "apt-get install cmake" in res.stderr


def test_integration_files_are_found_in_the_checkout():
    from wasip2ld.buildsys import integration_file

    assert integration_file("cmake/wasip2.cmake") == ROOT / "integration" / "cmake" / "wasip2.cmake"
    assert integration_file("make/wasip2.mk").read_text().startswith("# wasip2.mk")


def test_a_typo_of_an_own_option_is_named_not_handed_to_make_or_cmake(tmp_path):
    for args, meant in ((("make", "--modul", "-j2"), "--module"), (("make", "--print-evn"), "--print-env"),
                        (("cmake", "--wrld=app", "-S", ".", "-B", "b"), "--world")):
        res = wasip2ld(*args, cwd=tmp_path)
        assert res.returncode == 2
        assert res.stderr.splitlines() == [
            f"wasip2ld: error: {args[1].partition('=')[0]}: unknown option; did you mean {meant}? (the options of "
            f"`wasip2ld {args[0]}` come first, then {args[0]}'s) (see `wasip2ld {args[0]} --help`)"]
    assert not (tmp_path / "b").exists()
    # the build system's own options still reach it
    assert wasip2ld("make", "--dry-run", "-n", cwd=tmp_path).stderr.rstrip().endswith("/make -n")


SETJMP = """#include <setjmp.h>
static jmp_buf env;
int jump(int x) { if (setjmp(env) == 0) longjmp(env, x); return x; }
"""
CXX = "#include <string>\nstd::string twice(const std::string &s) { return s + s; }\n"
SIGNAL = "#include <signal.h>\nint stop(void) { return raise(SIGTERM); }\n"


def test_compile_flags_plus_a_command_line_is_what_wasip2_clang_compiles(toolchain, tmp_path):
    """clang run with `toolchain compile-flags` and the same arguments makes the very object wasip2-clang
    makes: setjmp (LLVM's lowering), C++ (libc++), and WASIP2LD_EMULATE's -D."""
    scripts = Path(sys.executable).parent
    cases = [("jump.c", SETJMP, [], {}), ("twice.cpp", CXX, ["--c++"], {}),
             ("stop.c", SIGNAL, [], {"WASIP2LD_EMULATE": "signal"})]
    for name, text, lang, env in cases:
        (tmp_path / name).write_text(text)
        run_env = {**os.environ, **env}
        flags = wasip2ld("toolchain", "compile-flags", *lang, env=run_env)
        assert flags.returncode == 0, flags.stderr
        direct = shlex.split(flags.stdout)
        assert Path(direct[0]).name.startswith("clang") and "--target=wasm32-wasip2" in direct
        args = ["-O2", "-g", "-c", name]
        driver = str(scripts / ("wasip2-clang++" if lang else "wasip2-clang"))
        subprocess.run([driver, *args, "-o", "driver.o"], cwd=tmp_path, env=run_env, check=True)
        subprocess.run([*direct, *args, "-o", "direct.o"], cwd=tmp_path, env=run_env, check=True)
        assert (tmp_path / "direct.o").read_bytes() == (tmp_path / "driver.o").read_bytes(), name


def test_compile_flags_for_cmake_fall_back_to_the_driver_for_flags_it_would_change():
    res = wasip2ld("toolchain", "compile-flags", "--cmake", "--c-flags=-O2 -Wall", "--cxx-flags=--emulate=all")
    assert res.returncode == 0, res.stderr
    rules = dict(line.removeprefix("set(").rstrip(")").split(" ", 1) for line in res.stdout.splitlines())
    assert rules["WASIP2LD_C_COMPILE_OBJECT"].startswith('"/') and "--target=wasm32-wasip2 " in rules[
        "WASIP2LD_C_COMPILE_OBJECT"]
    assert rules["WASIP2LD_C_COMPILE_OBJECT"].endswith('<DEFINES> <INCLUDES> <FLAGS> -o <OBJECT> -c <SOURCE>"')
    assert rules["WASIP2LD_CXX_COMPILE_OBJECT"] == '""'  # --emulate: wasip2-clang compiles C++
    depends = rules["WASIP2LD_COMPILE_DEPENDS"].strip('"').split(";")
    assert depends and all(Path(p).exists() for p in depends)
    from wasip2ld.buildsys.direct_compile import uses_driver

    for flags in ("-mexec-model=reactor", "-fexceptions", "-mllvm -wasm-enable-sjlj", "--target=wasm32-wasip1",
                  "--sysroot=/x", "@flags.rsp", "--wit=w.wit", "--wit", "'unbalanced"):
        assert uses_driver(flags), flags
    assert not uses_driver("-O2 -g -DX=1 -I/include -ffile-prefix-map=/a=.")
