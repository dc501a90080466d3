"""`wasip2ld go build` of Go commands: real Go, real wasm-tools, the real jco adapters, run under wasmtime."""

from __future__ import annotations

import json
import subprocess


def _component_world(wasm_tools: str, component) -> str:
    return subprocess.run([wasm_tools, "component", "wit", str(component)], capture_output=True, text=True,
                          check=True).stdout  # fmt: skip


def test_main_package_becomes_a_command_component_that_prints(wasip2ld, go_project, wasm_tools):
    project = go_project("hello")
    wasip2ld(["go", "build", "-o", "hello.wasm", "."], cwd=project)
    component = project / "hello.wasm"
    assert component.read_bytes()[4:8] == b"\x0d\x00\x01\x00"  # a component, not a core module
    assert "export wasi:cli/run@" in _component_world(wasm_tools, component)
    run = wasip2ld(["run", "--env", "GREETING=hi", "hello.wasm", "a", "b c"], cwd=project)
    assert run.stdout.splitlines() == ["hello from Go: a b c", "GREETING = hi", "slept: true"]
    assert run.stderr == "to stderr\n"


def test_stdin_and_exit_codes_go_through_the_adapter(wasip2ld, go_project):
    project = go_project("hello")
    wasip2ld(["go", "build", "-o", "hello.wasm", "."], cwd=project)
    piped = wasip2ld(["run", "--env", "READ_STDIN=1", "hello.wasm"], cwd=project, stdin="one\ntwo\n")
    assert piped.stdout.splitlines()[-2:] == ["stdin: ONE", "stdin: TWO"]
    # WASI 0.2's exit carries only ok/err: os.Exit(3) becomes 1, os.Exit(0) stays 0.
    failing = wasip2ld(["run", "--env", "EXIT_CODE=3", "hello.wasm"], cwd=project, ok=False)
    assert failing.returncode == 1
    assert wasip2ld(["run", "--env", "EXIT_CODE=0", "hello.wasm"], cwd=project).returncode == 0


def test_large_heaps_do_not_overwrite_the_adapter_state(wasip2ld, go_project):
    """Without wasip2ld's arena the adapter's state sits where Go's heap grows and the program traps in
    the adapter ("assertion failed") at its next clock read."""
    project = go_project("alloc")
    wasip2ld(["go", "build", "-o", "alloc.wasm", "."], cwd=project)
    run = wasip2ld(["run", "alloc.wasm"], cwd=project)
    assert run.stdout.splitlines()[-1] == "done: 40 MiB intact"


def test_default_output_name_and_verbose_commands(wasip2ld, go_project):
    project = go_project("hello")
    result = wasip2ld(["go", "build", "-v", "."], cwd=project)
    assert (project / "hello.wasm").is_file()
    commands = result.stderr
    assert "GOOS=wasip1 GOARCH=wasm" in commands and " build -v -overlay=" in commands
    assert "component new" in commands and "wasi_snapshot_preview1.command.wasm" in commands


def test_dry_run_prints_the_commands_and_writes_nothing(wasip2ld, go_project):
    project = go_project("hello")
    before = sorted(p.name for p in project.iterdir())
    result = wasip2ld(["go", "build", "--dry-run", "-o", "out.wasm", "."], cwd=project)
    assert sorted(p.name for p in project.iterdir()) == before
    lines = result.stderr.splitlines()
    assert not any(" list -e -deps " in line for line in lines)  # `-o` and a directory: no need to ask go list
    assert any(line.startswith(": 'write ") and "adapter arena" in line for line in lines)
    assert any(" build -overlay=" in line and line.startswith("GOOS=wasip1 GOARCH=wasm ") for line in lines)
    assert any("component new" in line and "out.wasm" in line for line in lines)


def test_gocache_from_the_environment_is_used(wasip2ld, go_project, tmp_path, go_env):
    project = go_project("hello")
    cache = tmp_path / "private-cache"
    wasip2ld(["go", "build", "-o", "hello.wasm", "."], cwd=project, env={"GOCACHE": str(cache)})
    assert (cache / "README").is_file() and any(cache.glob("??"))


def test_go_flags_pass_through(wasip2ld, go_project):
    project = go_project("hello")
    (project / "tagged.go").write_text(
        '//go:build extra\n\npackage main\n\nfunc init() { println("extra tag") }\n'
    )
    wasip2ld(
        ["go", "build", "-tags", "extra", "-trimpath", "-ldflags=-s", "-o", "tagged.wasm", "."], cwd=project
    )
    assert "extra tag" in wasip2ld(["run", "tagged.wasm"], cwd=project).stderr
    wasip2ld(["go", "build", "-o", "plain.wasm", "."], cwd=project)
    assert "extra tag" not in wasip2ld(["run", "plain.wasm"], cwd=project).stderr


def test_named_go_files_build_too(wasip2ld, go_project):
    project = go_project("hello")
    wasip2ld(["go", "build", "-o", "files.wasm", "main.go"], cwd=project)
    assert wasip2ld(["run", "files.wasm", "x"], cwd=project).stdout.startswith("hello from Go: x")


def test_other_go_commands_run_with_the_wasm_environment(wasip2ld, go_project):
    project = go_project("hello")
    env = wasip2ld(["go", "env", "-json", "GOOS", "GOARCH"], cwd=project)
    assert json.loads(env.stdout) == {"GOOS": "wasip1", "GOARCH": "wasm"}
    vet = wasip2ld(["go", "vet", "./..."], cwd=project)
    assert vet.returncode == 0
    missing = wasip2ld(["go", "list", "example.com/does-not-exist"], cwd=project, ok=False)
    assert missing.returncode == 1 and "does-not-exist" in missing.stderr


def test_compile_errors_are_go_s_and_leave_nothing_behind(wasip2ld, go_project):
    project = go_project("hello")
    (project / "broken.go").write_text('package main\n\nfunc broken() int { return "no" }\n')
    result = wasip2ld(["go", "build", "-o", "hello.wasm", "."], cwd=project, ok=False)
    assert result.returncode == 1
    assert "broken.go:3:" in result.stderr
    assert not (project / "hello.wasm").exists()
    assert [p.name for p in project.iterdir() if p.name.startswith(".")] == []


def test_import_path_arguments_are_resolved_with_go_list(wasip2ld, go_project):
    project = go_project("layered")
    result = wasip2ld(
        ["go", "build", "-v", "--wit", "wit", "-o", "by-path.wasm", "example.com/layered"], cwd=project
    )
    assert " list -e -deps " in result.stderr
    assert f"write {project}" not in result.stderr  # the overlay file is a scratch file, not in the project
    assert (project / "by-path.wasm").read_bytes()[4:8] == b"\x0d\x00\x01\x00"


def test_imports_without_a_world_are_reported_at_their_directives(wasip2ld, go_project, line_of):
    project = go_project("layered")
    result = wasip2ld(["go", "build", "-o", "app.wasm", "."], cwd=project, ok=False)
    assert result.returncode == 1
    line = line_of(project / "bindings" / "bindings.go", "//go:wasmimport")
    assert (f"bindings/bindings.go:{line}:1: error: //go:wasmimport example:layered/host@0.1.0 add: "
            "no WIT world was given, so nothing can provide this import") in result.stderr  # fmt: skip
    assert "pass --wit" in result.stderr
    assert not (project / "app.wasm").exists()


def test_a_library_package_is_refused_for_a_component(wasip2ld, go_project):
    project = go_project("layered")
    result = wasip2ld(
        ["go", "build", "-o", "lib.wasm", "example.com/layered/bindings"], cwd=project, ok=False
    )
    assert result.returncode == 2
    assert (
        "wasip2ld: error: go build: wasip2ld needs exactly one main package to build a component"
        in result.stderr
    )
    assert not (project / "lib.wasm").exists()


def test_build_defaults_come_from_wasip2ld_toml(wasip2ld, go_project, wasm_tools):
    project = go_project("calc")
    (project / "wasip2ld.toml").write_text('[build]\nwit = "wit"\nworld = "plugin"\n')
    result = wasip2ld(["go", "build", "-v", "-o", "calc.wasm", "."], cwd=project)
    assert "-buildmode=c-shared" in result.stderr and "component embed" in result.stderr
    assert "export example:calc/calc@0.1.0;" in _component_world(wasm_tools, project / "calc.wasm")


def test_a_missing_go_is_a_toolchain_error(wasip2ld, go_project):
    project = go_project("hello")
    result = wasip2ld(["go", "build", "-o", "x.wasm", "."], cwd=project, ok=False, env={"WASIP2LD_GO": "/no/such/go"})
    assert result.returncode == 2
    assert result.stderr.splitlines()[0] == "wasip2ld: error: go: /no/such/go (env WASIP2LD_GO) does not exist"
    assert not (project / "x.wasm").exists()


def test_a_library_directory_is_refused_before_go_runs(wasip2ld, go_project):
    project = go_project("layered")
    result = wasip2ld(["go", "build", "-v", "-o", "lib.wasm", "./bindings"], cwd=project, ok=False)
    assert result.returncode == 2
    assert "needs exactly one main package" in result.stderr
    assert not any(" build " in line and line.startswith("GOOS=") for line in result.stderr.splitlines())


def test_help_and_usage_errors_without_click(wasip2ld, go_project):
    """`wasip2ld go build` starts without click (gobuild/cmdline.py); help and errors read as before."""
    project = go_project("hello")
    build_help = wasip2ld(["go", "build", "--help"], cwd=project)
    assert build_help.stdout.startswith("Usage: wasip2ld go build [wasip2ld options]")
    assert "--wasi-adapter KIND" in build_help.stdout and build_help.stderr == ""
    go_help = wasip2ld(["go", "--help"], cwd=project)
    assert go_help.stdout.startswith(build_help.stdout.rstrip("\n"))
    assert "Any other `wasip2ld go COMMAND …` runs `go COMMAND …`" in go_help.stdout
    bad = wasip2ld(["go", "build", "--mangling=bogus", "."], cwd=project, ok=False)
    assert bad.returncode == 2
    assert bad.stderr.splitlines()[0] == "wasip2ld: error: --mangling=bogus: unknown name mangling"


def test_own_options_first_take_the_click_command(wasip2ld, go_project, wasm_tools):
    project = go_project("hello")
    wasip2ld(["--tool", f"wasm-tools={wasm_tools}", "go", "build", "-o", "hello.wasm", "."], cwd=project)
    assert (project / "hello.wasm").read_bytes()[4:8] == b"\x0d\x00\x01\x00"
