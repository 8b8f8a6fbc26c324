"""``seqx plugin new`` writes a package that installs and passes its own tests at once."""

import json
import subprocess
import sys

import pytest


def _run(*args, **kwargs):
    return subprocess.run(args, capture_output=True, text=True, check=False, **kwargs)


@pytest.mark.slow
def test_new_plugin_installs_and_passes_its_tests(tmp_path):
    made = _run(
        sys.executable, "-m", "seqx", "plugin", "new", "scaffoldcheck", "--dir", str(tmp_path)
    )
    assert made.returncode == 0, made.stderr
    root = tmp_path / "seqx-scaffoldcheck"
    pip = [sys.executable, "-m", "pip", "install", "--no-deps", "--no-build-isolation", "-q"]
    installed = _run(*pip, "-e", str(root))
    assert installed.returncode == 0, installed.stderr
    try:
        tests = _run(
            sys.executable,
            "-m",
            "pytest",
            "-q",
            "-p",
            "no:cacheprovider",
            str(root / "tests"),
            cwd=root,
        )
        assert tests.returncode == 0, tests.stdout + tests.stderr
        assert " passed" in tests.stdout and "failed" not in tests.stdout
        listed = _run(sys.executable, "-m", "seqx", "plugins", "--json")
        data = json.loads(listed.stdout)
        plugin = next(p for p in data["plugins"] if p["name"] == "scaffoldcheck")
        assert plugin["distribution"] == "seqx-scaffoldcheck" and plugin["status"] == "ok"
        assert plugin["registers"] == {"model": ["scaffoldcheck"], "arch": ["scaffoldcheck_tiny"]}
        shown = _run(sys.executable, "-m", "seqx", "plugins", "show", "scaffoldcheck_tiny")
        assert "--embed-dim  int, default 16" in shown.stdout
    finally:
        _run(sys.executable, "-m", "pip", "uninstall", "-y", "-q", "seqx-scaffoldcheck")
