"""The command as a user starts it: ``pulsetui`` and ``python -m pulsetui``, on a
platform without the POSIX modules the store needs (Windows), and writing into a pipe
whose reader went away."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from pulsetui import __version__


def run_python(code: str, *args: str, **kwargs: object) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code), *args],
        capture_output=True,
        text=True,
        timeout=60,
        **kwargs,  # type: ignore[arg-type]
    )


def test_python_dash_m_prints_the_version() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "pulsetui", "--version"], capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == f"pulsetui, version {__version__}"


@pytest.mark.parametrize("platform", ["win32", "cygwin"])
def test_windows_gets_one_line_and_exit_1(platform: str) -> None:
    done = run_python(
        f"""
        import sys
        sys.platform = {platform!r}
        sys.argv = ["pulsetui", "--help"]
        from pulsetui.__main__ import main
        main()
        """
    )
    assert done.returncode == 1
    assert done.stdout == ""
    assert done.stderr == "pulsetui runs on Linux and macOS; on Windows use WSL\n"


def test_missing_posix_modules_give_one_line_not_a_traceback() -> None:
    """As on Windows: fcntl, grp, pwd and termios cannot be imported."""
    done = run_python(
        """
        import importlib.abc, sys

        class NoPosix(importlib.abc.MetaPathFinder):
            def find_spec(self, name, path=None, target=None):
                if name in ("fcntl", "grp", "pwd", "termios"):
                    raise ModuleNotFoundError(f"No module named {name!r}", name=name)
                return None

        for name in ("fcntl", "grp", "pwd", "termios"):
            sys.modules.pop(name, None)
        sys.meta_path.insert(0, NoPosix())
        sys.argv = ["pulsetui", "list", "clients"]
        from pulsetui.__main__ import main
        main()
        """
    )
    assert done.returncode == 1
    assert "Traceback" not in done.stderr
    assert done.stderr.splitlines() == ["pulsetui runs on Linux and macOS; on Windows use WSL"]


def test_help_imports_cleanly_without_the_posix_modules() -> None:
    """The modules that need fcntl and grp import them where they use them, so the
    command line (past the platform check) loads and prints every command's help, and
    every module of the package imports, even where they are missing."""
    done = run_python(
        """
        import importlib.abc, sys

        class NoPosix(importlib.abc.MetaPathFinder):
            def find_spec(self, name, path=None, target=None):
                if name in ("fcntl", "grp", "pwd", "termios"):
                    raise ModuleNotFoundError(f"No module named {name!r}", name=name)
                return None

        for name in ("fcntl", "grp", "pwd", "termios"):
            sys.modules.pop(name, None)
        sys.meta_path.insert(0, NoPosix())
        from pulsetui.cli.main import cli

        print("commands:", len(cli.commands))
        for name in [None, *sorted(cli.commands)]:
            try:
                cli.main([name, "--help"] if name else ["--help"], prog_name="pulsetui")
            except SystemExit as exc:
                assert exc.code == 0, (name, exc.code)
        import importlib, pkgutil, pulsetui

        for info in pkgutil.walk_packages(pulsetui.__path__, prefix="pulsetui."):
            importlib.import_module(info.name)  # every module, the app's too
        print("posix modules loaded:", sorted(
            name for name in ("fcntl", "grp", "pwd", "termios") if name in sys.modules
        ))
        """
    )
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr
    assert "Usage: pulsetui [OPTIONS]" in done.stdout
    assert "Usage: pulsetui sync" in done.stdout and "Usage: pulsetui doctor" in done.stdout
    assert done.stdout.splitlines()[-1] == "posix modules loaded: []"


def test_a_closed_pipe_ends_quietly_with_exit_0(tmp_path: Path) -> None:
    """``pulsetui list agreements | head -1``: the reader leaves after one line."""
    home = tmp_path / "home"
    made = subprocess.run(
        [sys.executable, "-m", "pulsetui", "demo", "--home", str(home)],
        capture_output=True,
        timeout=300,
    )
    assert made.returncode == 0, made.stderr
    for command in (["list", "agreements"], ["list", "clients"], ["export", "--format", "json"]):
        listing = subprocess.Popen(
            [sys.executable, "-m", "pulsetui", "--home", str(home), *command],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )
        assert listing.stdout is not None and listing.stderr is not None
        first = listing.stdout.readline()
        listing.stdout.close()  # as `head -1` does once it has its line
        errors = listing.stderr.read().decode()
        code = listing.wait(timeout=120)
        assert first, "the command printed nothing"
        assert code == 0, (command, errors)
        assert "Broken pipe" not in errors and "Traceback" not in errors, (command, errors)


def test_every_package_is_in_the_wheel() -> None:
    """pyproject lists the packages by hand (styles/ is mapped into the wheel): a new
    folder of modules must be listed there, or a plain `pip install .` lacks it."""
    import tomllib

    root = Path(__file__).resolve().parents[1]
    listed = set(
        tomllib.loads((root / "pyproject.toml").read_text())["tool"]["setuptools"]["packages"]
    )
    found = {
        ".".join(init.parent.relative_to(root / "src").parts)
        for init in (root / "src" / "pulsetui").rglob("__init__.py")
    }
    assert found | {"pulsetui.styles"} == listed
