"""Settings: command-line flags > environment > ``wasip2ld.toml`` (project, then user) > built-in defaults.

The project file is found by walking up from the working directory; the user file lives in the platformdirs
config directory; ``WASIP2LD_CONFIG`` names one file explicitly. See docs/configuration.md.
"""
from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Mapping

from .errors import ConfigError
from .toolchain import tomlfile
from .toolchain.descriptors import PARTS

CONFIG_NAME = "wasip2ld.toml"
_TOP_KEYS = {"toolchain", "wasi-sdk", "tools", "build"}
_STRING, _BOOL, _STRINGS = "a string", "true or false", "a string or a list of strings"
# [build] key -> the type its value must have (checked when the file is read, so every command agrees).
BUILD_TYPES = {
    "wit": _STRING,
    "world": _STRING,
    "mode": _STRING,
    "mangling": _STRING,
    "wasi-adapter": _STRING,
    "features": _STRINGS,
    "all-features": _BOOL,
    "delegate": _BOOL,
}
BUILD_KEYS = set(BUILD_TYPES)


@dataclass(frozen=True)
class Setting:
    value: str
    source: str  # e.g. "flag --toolchain", "env WASIP2LD_TOOLCHAIN", "config /p/wasip2ld.toml"


@dataclass(frozen=True)
class Settings:
    toolchain: Setting | None = None
    roots: dict[str, Setting] = field(default_factory=dict)  # root_flag name ("wasi-sdk") -> directory
    tools: dict[str, Setting] = field(default_factory=dict)  # part -> explicit path
    build: dict[str, object] = field(default_factory=dict)  # driver defaults from [build]
    config_files: tuple[Path, ...] = ()
    data_dir: Path = field(default_factory=lambda: data_dir())
    cwd: Path = field(default_factory=Path.cwd)


def env_name(part: str) -> str:
    """WASIP2LD_<PART>: ``wasm-ld`` -> WASIP2LD_WASM_LD, ``clang++`` -> WASIP2LD_CLANGXX."""
    return "WASIP2LD_" + part.upper().replace("-", "_").replace("+", "X")


def data_dir() -> Path:
    env = os.environ.get("WASIP2LD_DATA_DIR")
    if env:
        return Path(env)
    import platformdirs

    return Path(platformdirs.user_data_dir("wasip2ld", appauthor=False))


def user_config_file() -> Path:
    import platformdirs

    return Path(platformdirs.user_config_dir("wasip2ld", appauthor=False)) / CONFIG_NAME


def find_config_files(cwd: Path, env: Mapping[str, str]) -> list[Path]:
    """Config files, most important first."""
    explicit = env.get("WASIP2LD_CONFIG")
    if explicit:
        path = Path(explicit)
        if not path.is_file():
            raise ConfigError(explicit, "WASIP2LD_CONFIG names a file that does not exist")
        return [path]
    files = []
    for directory in [cwd, *cwd.parents]:
        candidate = directory / CONFIG_NAME
        if candidate.exists() and not candidate.is_dir():  # a FIFO or device is reported, not skipped
            files.append(candidate)
            break
    user = user_config_file()
    if user.is_file():
        files.append(user)
    return files


def load_settings(
    *,
    toolchain: str | None = None,
    roots: Mapping[str, str] | None = None,
    tools: Mapping[str, str] | None = None,
    env: Mapping[str, str] | None = None,
    cwd: Path | None = None,
    read_files: bool = True,
) -> Settings:
    """Merge flags (the keyword arguments), the environment and config files into one Settings
    (``read_files=False``: no config file, as `doctor` reports when a file is broken)."""
    env = os.environ if env is None else env
    cwd = cwd or Path.cwd()
    files = find_config_files(cwd, env) if read_files else []
    merged_tc: Setting | None = None
    merged_roots: dict[str, Setting] = {}
    merged_tools: dict[str, Setting] = {}
    build: dict[str, object] = {}
    for path in reversed(files):  # least important first, so later ones override
        conf = read_config(path)
        src = f"config {path}"
        if "toolchain" in conf:
            merged_tc = Setting(conf["toolchain"], src)
        if "wasi-sdk" in conf:
            merged_roots["wasi-sdk"] = Setting(_relative(path, conf["wasi-sdk"]), src)
        for part, value in conf.get("tools", {}).items():
            merged_tools[part] = Setting(_relative(path, value), src)
        for key, value in conf.get("build", {}).items():
            build[key] = _relative(path, value) if key in ("wit", "wasi-adapter") else value
    if env.get("WASIP2LD_TOOLCHAIN"):
        merged_tc = Setting(env["WASIP2LD_TOOLCHAIN"], "env WASIP2LD_TOOLCHAIN")
    if env.get("WASI_SDK_PATH"):
        merged_roots["wasi-sdk"] = Setting(env["WASI_SDK_PATH"], "env WASI_SDK_PATH")
    for part in PARTS:
        value = env.get(env_name(part))
        if value:
            merged_tools[part] = Setting(value, f"env {env_name(part)}")
    if toolchain:
        merged_tc = Setting(toolchain, "flag --toolchain")
    for name, value in (roots or {}).items():
        merged_roots[name] = Setting(value, f"flag --{name}")
    for part, value in (tools or {}).items():
        if part not in PARTS:
            from .errors import UsageError

            raise UsageError(f"--tool {part}=…: unknown part `{part}` (known: {', '.join(PARTS)})")
        merged_tools[part] = Setting(value, f"flag --tool {part}")
    return Settings(
        toolchain=merged_tc,
        roots=merged_roots,
        tools=merged_tools,
        build=build,
        config_files=tuple(files),
        data_dir=data_dir(),
        cwd=cwd,
    )


def read_config(path: Path) -> dict:
    data, text = tomlfile.read(path)

    def fail(message: str, key: str) -> ConfigError:
        return ConfigError(str(path), message, line=tomlfile.line_of(text, key))

    for key in data:
        if key not in _TOP_KEYS:
            raise fail(f"unknown key `{key}` (known: {', '.join(sorted(_TOP_KEYS))})", key)
    for key in ("toolchain", "wasi-sdk"):
        if key in data and not isinstance(data[key], str):
            raise fail(f"`{key}` must be a string", key)
    tools = data.get("tools", {})
    if not isinstance(tools, dict):
        raise fail("`tools` must be a table of part = \"path\"", "tools")
    for part, value in tools.items():
        if part not in PARTS:
            raise fail(f"[tools]: unknown part `{part}` (known: {', '.join(PARTS)})", part)
        if not isinstance(value, str):
            raise fail(f"[tools] {part} must be a path string", part)
    build = data.get("build", {})
    if not isinstance(build, dict):
        raise fail("`build` must be a table", "build")
    for key, value in build.items():
        if key not in BUILD_KEYS:
            raise fail(f"[build]: unknown key `{key}` (known: {', '.join(sorted(BUILD_KEYS))})", key)
        if not _has_type(value, BUILD_TYPES[key]):
            raise fail(f"[build] {key} must be {BUILD_TYPES[key]}, not {value!r}", key)
    if "toolchain" in data:
        from .toolchain.descriptors import load_all

        names = [d.name for d in load_all()]
        if data["toolchain"] not in names:
            raise fail(f"unknown toolchain `{data['toolchain']}` (known toolchains: {', '.join(names)})", "toolchain")
    return data


def _has_type(value: object, wanted: str) -> bool:
    if wanted == _BOOL:
        return isinstance(value, bool)
    if wanted == _STRINGS and isinstance(value, list):
        return all(isinstance(item, str) for item in value)
    return isinstance(value, str) and value != ""


def _relative(config_path: Path, value: str) -> str:
    """Paths in a config file are relative to that file; a bare name that is not a file there stays a name."""
    expanded = os.path.expanduser(value)
    if os.path.isabs(expanded):
        return expanded
    beside = config_path.parent / expanded
    if "/" not in expanded and not beside.exists():
        return expanded
    return str(beside.resolve())
