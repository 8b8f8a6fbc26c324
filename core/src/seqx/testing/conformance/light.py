"""Checking in a fresh interpreter that modules import without heavy libraries."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Sequence

HEAVY = ("torch", "numpy", "sentencepiece", "sacrebleu")
"""Modules that must not load while ``seqx --help`` or ``seqx plugins`` runs."""


def heavy_imports(modules: Sequence[str]) -> dict[str, list[str]]:
    """For each module, the heavy modules that importing it (alone) pulls in."""
    code = (
        "import importlib, json, sys\n"
        f"heavy = {list(HEAVY)!r}\n"
        "out = {}\n"
        f"for name in {list(modules)!r}:\n"
        "    before = set(sys.modules)\n"
        "    importlib.import_module(name)\n"
        "    out[name] = sorted(h for h in heavy if h in sys.modules and h not in before)\n"
        "print(json.dumps(out))\n"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
    if proc.returncode != 0:
        raise AssertionError(f"importing {list(modules)} failed:\n{proc.stderr}")
    return json.loads(proc.stdout.strip().splitlines()[-1])
