"""`wasip2ld toolchain install`: provision a working wasip2 toolchain from the package registries.

Without root: the wasm32-wasip1/-wasip2 sysroots from Debian's wasi-libc package (the newest one of the
machine's own mirror whose wasm32-wasip2 libc is free of WASI p1 imports, fetched through a private apt
configuration; ``--suite S`` installs S's package beside it, in ``wasi-libc-S``) and the WASI p1 adapters + WASI WIT from
npm's @bytecodealliance/jco, both into the data directory. With ``--system`` (root): Debian's clang, lld and
compiler-rt for wasm32 via apt-get. Every step is idempotent and installs into a temporary directory that is
renamed into place only when complete.
"""
from __future__ import annotations

import os
import shutil
import tarfile
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from ..errors import ToolchainError, ToolFailed
from ..proc import Runner
from .sysrootscan import scan_sysroot
from .wasilibc import WasiLibcFetcher

JCO_PACKAGE = "@bytecodealliance/jco"
JCO_VERSION = "1.35.0"  # tested; override with --jco-version
LLVM_VERSIONS = range(30, 17, -1)  # newest first; 22 is the tested one


@dataclass(frozen=True)
class Step:
    name: str
    done: Callable[[], bool]
    run: Callable[[], None]


class Provisioner:
    def __init__(self, data_dir: Path, runner: Runner, say: Callable[[str], None], *, suite: str | None = None,
                 jco_version: str = JCO_VERSION) -> None:
        self.data = data_dir
        self.runner = runner
        self.say = say
        self.suite = suite
        self.jco_version = jco_version

    # -- steps -------------------------------------------------------------------------------------------
    def steps(self, system: bool) -> list[Step]:
        steps = []
        if system:
            steps.append(Step("clang, wasm-ld and compiler-rt (apt-get)", self.llvm_installed, self.install_llvm))
        which = f"Debian {self.suite}" if self.suite else "the newest p1-free Debian package"
        steps.append(Step(f"wasi-libc sysroots ({which})", self.sysroots_installed, self.install_sysroots))
        steps.append(Step(f"WASI adapters and WIT (npm {JCO_PACKAGE}@{self.jco_version})", self.jco_installed,
                          self.install_jco))
        return steps

    def install(self, system: bool) -> int:
        """Run the steps that are not done yet; return how many ran."""
        ran = 0
        for step in self.steps(system):
            if step.done():
                self.say(f"ok     {step.name}: already installed")
                continue
            self.say(f"...    {step.name}: installing")
            step.run()
            ran += 1
            if not self.runner.dry_run:
                self.say(f"done   {step.name}")
        if ran == 0:
            self.say("nothing to do: everything is already installed")
        return ran

    # -- LLVM (system) -----------------------------------------------------------------------------------
    def llvm_installed(self) -> bool:
        from .discover import discover

        tc = discover()
        if tc.c_family is None or not all(tc.get(p) for p in ("clang", "wasm-ld", "compiler-rt", "llvm-ar")):
            return False
        if tc.c_family.name != "debian-llvm" or tc.c_root is None:
            return True
        return any(tc.c_root.glob("lib/wasm32-wasi*/libc++.a"))  # Debian's libc++-N-dev-wasm32

    def install_llvm(self) -> None:
        if os.geteuid() != 0:
            raise ToolchainError("--system installs Debian packages and needs root",
                                 hint="rerun as root (sudo wasip2ld toolchain install --system)")
        if not shutil.which("apt-get"):
            raise ToolchainError("--system needs apt-get (Debian/Ubuntu); install clang, wasm-ld and compiler-rt "
                                 "for wasm32 with your package manager, or use a wasi-sdk (--wasi-sdk DIR)")
        self._apt(["apt-get", "update"], "apt-get update")
        version = self._newest_llvm()
        from .descriptors import by_name

        packages = [p.replace("{N}", str(version)) for p in by_name("debian-llvm").packages]
        self._apt(["apt-get", "install", "-y", "--no-install-recommends", *packages], "apt-get install")

    def _newest_llvm(self) -> int:
        for version in LLVM_VERSIONS:
            result = self.runner.run(["apt-cache", "show", f"libclang-rt-{version}-dev-wasm32"], tool="apt-cache",
                                     capture=True, check=False)
            if result.returncode == 0 and result.stdout.strip():
                return version
        if self.runner.dry_run:
            return 22
        raise ToolchainError("no libclang-rt-N-dev-wasm32 package is available from the configured apt sources",
                             hint="Debian bookworm-security or newer carries clang-22 with wasm32 compiler-rt")

    def _apt(self, argv: list[str], what: str) -> None:
        try:
            self.runner.run(argv, tool=what, env={"DEBIAN_FRONTEND": "noninteractive"})
        except ToolFailed as exc:
            raise ToolFailed(what, exc.returncode, f"{what} failed (is Debian's package registry reachable?): {exc}")

    # -- wasi-libc sysroots ------------------------------------------------------------------------------
    @property
    def sysroot_dir(self) -> Path:
        """The default sysroot, or one installed beside it with ``--suite`` (``wasi-libc-trixie``)."""
        return self.data / ("wasi-libc" if self.suite is None else f"wasi-libc-{self.suite}")

    def sysroots_installed(self) -> bool:
        """Present, and for the default one also p1-free: an older install is upgraded, not kept."""
        usr = self.sysroot_dir / "usr"
        if not ((usr / "lib/wasm32-wasip2/libc.a").is_file() and (usr / "lib/wasm32-wasip1/libc.a").exists()
                and _sound_sysroots(usr)):
            return False
        if self.suite is not None:
            return True
        facts = scan_sysroot(usr)
        if not facts.p1_free:
            self.say(f"       the installed wasi-libc ({_installed_version(self.sysroot_dir)}) imports "
                     f"{len(facts.p1_imports)} WASI p1 functions: upgrading it")
        return facts.p1_free

    def install_sysroots(self) -> None:
        with self._staging(self.sysroot_dir.name) as stage:
            fetcher = WasiLibcFetcher(self.runner, self.say, stage.parent / (stage.name + ".apt"), self.suite)
            found = fetcher.fetch(stage)
            if found is not None:
                freedom = "p1-free" if found.facts.p1_free else f"imports {len(found.facts.p1_imports)} WASI p1 functions"
                self.say(f"       wasi-libc {found.version} ({freedom})")

    # -- jco adapters ------------------------------------------------------------------------------------
    @property
    def jco_dir(self) -> Path:
        return self.data / "jco"

    def jco_installed(self) -> bool:
        lib = self.jco_dir / "package" / "lib"
        return (lib / "wasi_snapshot_preview1.command.wasm").is_file() and (lib / "wit" / "builtin").is_dir() \
            and _sound_adapters(lib)

    def install_jco(self) -> None:
        if not shutil.which("npm"):
            raise ToolchainError("npm not found: the WASI adapters come from npm's @bytecodealliance/jco",
                                 hint="apt-get install npm, or pass --tool adapter-command=FILE --tool adapter-reactor=FILE")
        with self._staging("jco") as stage:
            result = self.runner.run(["npm", "pack", "--silent", f"{JCO_PACKAGE}@{self.jco_version}"],
                                     tool="npm pack", capture=True, cwd=stage)
            if self.runner.dry_run:
                return
            names = [line for line in result.stdout.decode().split() if line.endswith(".tgz")]
            tgz = stage / (names[-1] if names else "")
            if not names or not tgz.is_file():
                raise ToolchainError(f"npm pack {JCO_PACKAGE} produced no tarball in {stage}")
            with tarfile.open(tgz) as tar:
                tar.extractall(stage, filter="data")
            tgz.unlink()

    # -- helpers -----------------------------------------------------------------------------------------
    def _staging(self, name: str):
        return _Staging(self.data, name, self.runner.dry_run)


class _Staging:
    """A temporary directory beside ``data/name`` that replaces it only if the block completes."""

    def __init__(self, data: Path, name: str, dry_run: bool) -> None:
        self.data, self.name, self.dry_run = data, name, dry_run

    def __enter__(self) -> Path:
        if self.dry_run:  # nothing may be written to the data directory: scratch space elsewhere
            self.tmp = Path(tempfile.mkdtemp(prefix=f"wasip2ld-dry-run-{self.name}-"))
        else:
            _make_data_dir(self.data)
            self.tmp = Path(tempfile.mkdtemp(prefix=f".{self.name}.", dir=self.data))
        self.stage = self.tmp / self.name
        self.stage.mkdir()
        return self.stage

    def __exit__(self, exc_type, exc, tb) -> None:
        try:
            if exc_type is None and not self.dry_run:
                final = self.data / self.name
                if final.exists():
                    old = self.tmp / "old"
                    final.rename(old)
                self.stage.rename(final)
        finally:
            shutil.rmtree(self.tmp, ignore_errors=True)


def _installed_version(sysroot: Path) -> str:
    version = sysroot / "VERSION"
    return version.read_text(encoding="utf-8").strip() if version.is_file() else "version unknown"


def _sound_sysroots(usr: Path) -> bool:
    """Both sysroots have what a build needs (a damaged one is reinstalled, see ``verify``)."""
    from .verify import sysroot_problem

    return all(sysroot_problem(usr, triple) is None for triple in ("wasm32-wasip1", "wasm32-wasip2"))


def _sound_adapters(lib: Path) -> bool:
    from .verify import adapter_problem

    names = ("wasi_snapshot_preview1.command.wasm", "wasi_snapshot_preview1.reactor.wasm")
    return all(adapter_problem(lib / name) is None for name in names)


def _make_data_dir(data: Path) -> None:
    try:
        data.mkdir(parents=True, exist_ok=True)
    except FileExistsError:
        raise ToolchainError(f"the wasip2ld data directory {data} is a file",
                             hint="remove it, or choose another place with WASIP2LD_DATA_DIR") from None
    except OSError as exc:
        raise ToolchainError(f"cannot create the wasip2ld data directory {data}: {exc.strerror}",
                             hint="fix its permissions, or choose another place with WASIP2LD_DATA_DIR") from None
