"""Configure-time cost of wasip2ld: real projects' configure steps, through wasip2ld and with a raw clang.

    python bench/bench_configure.py [--runs 3] [--sources DIR] [--profile]

  cmake      cJSON (Debian source package): `wasip2ld cmake -S … -B …` vs `cmake -S … -B …` with a raw
             clang toolchain file (clang --target=wasm32-wasip1 --sysroot=…, llvm-ar; wasip2ld's Platform/WASI.cmake
             for both)
  autotools  GNU FriBidi (Debian source package): `./configure --host=wasm32-unknown-wasip2` with
             `wasip2ld make --print-env`'s CC/AR/NM/… vs `--host=wasm32-unknown-wasi` with CC="clang
             --target=wasm32-wasip1 --sysroot=…" and the LLVM binutils

Goal: each <= 1.4x (CPU and wall). Every run configures into a fresh build directory; the two sides
alternate. CPU is the user + system time of every process of the configure. The sources are fetched once
with apt-get source (tests/integration/debsrc.py) into --sources (default ~/.cache/wasip2ld-bench).

--profile also runs one configure of each side under `strace -f` (Debian package strace) and prints how many
processes of each program it started: where a configure's time goes (wasip2-clang per probe, …).
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from bench_driver import BIN, ENV, Comparison, Sample, measure, ratio_goal  # noqa: E402

from wasip2ld.toolchain.discover import discover  # noqa: E402

CJSON_FLAGS = ["-G", "Ninja", "-DCMAKE_BUILD_TYPE=Release", "-DBUILD_SHARED_LIBS=OFF",
               "-DENABLE_CJSON_TEST=ON"]  # fmt: skip
FRIBIDI_FLAGS = ["--disable-shared", "CFLAGS=-O2"]
RAW_TOOLCHAIN = """set(CMAKE_SYSTEM_NAME WASI)
set(CMAKE_SYSTEM_VERSION 1)
set(CMAKE_SYSTEM_PROCESSOR wasm32)
list(APPEND CMAKE_MODULE_PATH "{platform_dir}")
set(CMAKE_C_COMPILER "{clang}")
set(CMAKE_CXX_COMPILER "{clangxx}")
set(CMAKE_C_COMPILER_TARGET wasm32-wasip1)
set(CMAKE_CXX_COMPILER_TARGET wasm32-wasip1)
set(CMAKE_SYSROOT "{sysroot}")
set(CMAKE_AR "{ar}" CACHE FILEPATH "Archiver" FORCE)
set(CMAKE_RANLIB "{ranlib}" CACHE FILEPATH "Ranlib" FORCE)
set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)
"""


def sources(directory: Path) -> dict[str, Path]:
    from tests.integration.debsrc import fetch_source

    return {name: fetch_source(name, directory) for name in ("cjson", "fribidi")}


def fresh(work: Path, name: str) -> Path:
    path = work / name
    shutil.rmtree(path, ignore_errors=True)
    path.mkdir(parents=True)
    return path


def compare_configures(name: str, ours, theirs, runs: int, profile: bool = False) -> Comparison:
    """``ours()``/``theirs()`` return (commands, cwd, env) for one fresh configure."""
    if profile:
        for side, label in ((ours, "ours"), (theirs, "raw")):
            print(f"{name} {label:4} processes: {count_processes(*side())}", flush=True)

    def once(side) -> Sample:
        commands, cwd, env = side()
        return measure(commands, cwd, env)

    once(ours), once(theirs)  # warm the page cache and wasip2ld's caches
    a, b = [], []
    for _ in range(runs):
        a.append(once(ours))
        b.append(once(theirs))
    result = Comparison(name, a, b)
    print(result.line(), flush=True)
    return result


def count_processes(commands, cwd: Path, env: dict[str, str]) -> str:
    """The programs the commands started, most started first: `wasip2-clang 30, clang 60, …`."""
    import collections
    import re
    import subprocess

    counts: collections.Counter[str] = collections.Counter()
    with tempfile.NamedTemporaryFile(prefix="bench-configure-strace-") as log:
        for argv in commands:
            subprocess.run(["strace", "-f", "-qq", "-e", "trace=execve", "-e", "signal=none", "-o", log.name, *argv],
                           cwd=cwd, env=env, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            for line in Path(log.name).read_text(errors="replace").splitlines():
                started = re.search(r'execve\("([^"]+)".* = 0$', line)
                if started:
                    counts[Path(started[1]).name] += 1
    return ", ".join(f"{name} {n}" for name, n in counts.most_common())


def run(runs: int, source_dir: Path, profile: bool = False) -> list[str]:
    tc = discover()
    trees = sources(source_dir)
    clang = str(tc.require("clang").path)
    clangxx = str(tc.get("clang++").path) if tc.get("clang++") else clang
    sysroot_p1 = str(tc.path("sysroot-wasip1"))
    ar, ranlib = str(tc.path("llvm-ar")), str(tc.path("llvm-ranlib"))
    nm = str(Path(ar).with_name(Path(ar).name.replace("ar", "nm")))
    wasip2ld = str(BIN / "wasip2ld")
    goals = []
    with tempfile.TemporaryDirectory(prefix="bench-configure-") as tmp:
        work = Path(tmp)
        env = {**ENV, "WASIP2LD_CACHE_DIR": str(work / "cache")}
        toolchain = work / "raw.cmake"
        toolchain.write_text(RAW_TOOLCHAIN.format(platform_dir=ROOT / "integration" / "cmake", clang=clang,
                                                  clangxx=clangxx, sysroot=sysroot_p1, ar=ar, ranlib=ranlib))
        cjson = trees["cjson"]
        result = compare_configures(
            "cmake",
            lambda: ([[wasip2ld, "cmake", "-S", str(cjson), "-B", str(fresh(work, "ours")), *CJSON_FLAGS]], work, env),
            lambda: ([["cmake", "-S", str(cjson), "-B", str(fresh(work, "raw")), *CJSON_FLAGS,
                       f"-DCMAKE_TOOLCHAIN_FILE={toolchain}"]], work, env),
            runs,
            profile,
        )  # fmt: skip
        goals.append(ratio_goal(result, 1.4))
        fribidi = work / "fribidi"
        shutil.copytree(trees["fribidi"], fribidi)
        shutil.copy2("/usr/share/misc/config.sub", fribidi / "config.sub")  # as tests/integration does
        ours_env = {**env, **_print_env(wasip2ld, env)}
        raw_env = {**env, "CC": f"{clang} --target=wasm32-wasip1 --sysroot={sysroot_p1}", "AR": ar,
                   "RANLIB": ranlib, "NM": nm}  # fmt: skip
        configure = str(fribidi / "configure")
        result = compare_configures(
            "autotools",
            lambda: ([[configure, "--host=wasm32-unknown-wasip2", *FRIBIDI_FLAGS]], fresh(work, "ours-ac"), ours_env),
            lambda: ([[configure, "--host=wasm32-unknown-wasi", *FRIBIDI_FLAGS]], fresh(work, "raw-ac"), raw_env),
            runs,
            profile,
        )  # fmt: skip
        goals.append(ratio_goal(result, 1.4))
    return goals


def _print_env(wasip2ld: str, env: dict[str, str]) -> dict[str, str]:
    import shlex
    import subprocess

    text = subprocess.run([wasip2ld, "make", "--print-env"], env=env, capture_output=True, text=True,
                          check=True).stdout  # fmt: skip
    return dict(shlex.split(line)[1].split("=", 1) for line in text.splitlines())


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--sources", type=Path, default=Path.home() / ".cache" / "wasip2ld-bench" / "debian-sources")
    parser.add_argument("--profile", action="store_true",
                        help="also count the processes one configure of each side starts (needs strace)")
    args = parser.parse_args()
    if args.profile and shutil.which("strace") is None:
        parser.error("--profile needs strace (apt-get install strace)")
    run(args.runs, args.sources, args.profile)
    return 0


if __name__ == "__main__":
    os.environ.pop("PYTHONDONTWRITEBYTECODE", None)
    sys.exit(main())
