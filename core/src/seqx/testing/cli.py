"""Running the ``seqx`` command line in a subprocess, and tiny binarized corpora, for tests.

Integration tests of seqx and of plugins drive the CLI as users do, in a
fresh interpreter each time (plugins are discovered from the installed
distributions, or from ``--plugin-dir``):

    proc = run_seqx("train", data, "--arch", "transformer_tiny", ...)
    data = tiny_data_bin(tmp_path, train=300, valid=20, seed=4)
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

from seqx.testing.corpus import write_corpus


def run_seqx(
    *args: Any,
    check: bool = True,
    env: dict[str, str] | None = None,
    input: str | None = None,
    timeout: float = 900,
) -> subprocess.CompletedProcess:
    """``python -m seqx ARGS`` with its output captured; ``check`` fails on a non-zero status.

    ``env`` adds variables to the current environment; ``input`` is the standard input.
    """
    proc = subprocess.run(
        [sys.executable, "-m", "seqx", *map(str, args)],
        capture_output=True,
        text=True,
        env={**os.environ, **(env or {})},
        input=input,
        timeout=timeout,
    )
    if check and proc.returncode != 0:
        raise AssertionError(f"seqx {' '.join(map(str, args))} failed:\n{proc.stderr}")
    return proc


def tiny_data_bin(
    root: Path,
    *,
    train: int,
    valid: int,
    test: int = 0,
    seed: int = 1,
    preprocess: tuple[str, ...] = ("--joined-dictionary",),
) -> Path:
    """The sample de-en corpus (``root/raw``) binarized into ``root/bin``; returns the latter.

    ``preprocess`` holds further ``seqx preprocess`` options (subwords, dictionaries).
    """
    raw = root / "raw"
    write_corpus(str(raw), train=train, valid=valid, test=max(test, 1), seed=seed)
    splits = ["--trainpref", raw / "train", "--validpref", raw / "valid"]
    if test:
        splits += ["--testpref", raw / "test"]
    run_seqx("preprocess", "-s", "de", "-t", "en", *splits, "--destdir", root / "bin", *preprocess)
    return root / "bin"
