"""The light paths of the CLI never import torch, with every installed plugin loaded."""

import json
import subprocess
import sys

import pytest

HEAVY = ("torch", "numpy")

PROBE = """
import json, sys
from seqx.cli.main import main
try:
    main({args!r})
except SystemExit:
    pass
print("@@" + json.dumps(sorted(m for m in {heavy!r} if m in sys.modules)), file=sys.stderr)
"""


@pytest.mark.parametrize(
    "args",
    [["--help"], ["plugins"], ["plugins", "--json"], ["--version"], ["plugins", "show", "train"]],
)
def test_light_commands_do_not_import_torch(args):
    proc = subprocess.run(
        [sys.executable, "-c", PROBE.format(args=args, heavy=HEAVY)],
        capture_output=True,
        text=True,
        check=False,
    )
    marker = [line for line in proc.stderr.splitlines() if line.startswith("@@")]
    assert marker, proc.stderr
    assert json.loads(marker[-1][2:]) == [], f"seqx {' '.join(args)} imported heavy modules"
    assert "warning" not in proc.stderr.lower(), proc.stderr  # every installed plugin loads


def test_installed_plugins_load_cleanly():
    proc = subprocess.run(
        [sys.executable, "-m", "seqx", "plugins", "--check"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
