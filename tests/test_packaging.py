"""The user's install path: wheels of every package, ``pip install seqx-transformer`` into a
fresh venv with the public index on, then train and decode a tiny model with the ``seqx``
command that venv got. PyPI holds an unrelated project named ``seqx``: the core's
distribution is ``seqx-core``, and nothing may pull the other one in."""

from __future__ import annotations

import os
import subprocess
import sys
import venv
from pathlib import Path

import pytest

from seqx.testing.corpus import write_corpus

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = [ROOT / "core", *sorted(p.parent for p in ROOT.glob("plugins/*/pyproject.toml"))]


def _run(*args: object, **kwargs: object) -> subprocess.CompletedProcess:
    proc = subprocess.run(
        [str(a) for a in args], capture_output=True, text=True, check=False, **kwargs
    )
    assert proc.returncode == 0, f"{' '.join(map(str, args))}:\n{proc.stdout}\n{proc.stderr}"
    return proc


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A fresh venv with seqx-transformer installed from the wheels (index on); its bin/."""
    root = tmp_path_factory.mktemp("packaging")
    wheels = root / "wheels"
    pip = [sys.executable, "-m", "pip"]
    _run(*pip, "wheel", "-q", "--no-deps", "--no-build-isolation", "-w", wheels, *PACKAGES)
    env_dir = root / "venv"
    venv.create(env_dir, with_pip=True)
    bin_dir = env_dir / "bin"
    constraints = ROOT / "constraints.txt"
    _run(
        bin_dir / "python",
        "-m",
        "pip",
        "install",
        "-q",
        "--find-links",
        wheels,
        "-c",
        constraints,
        "seqx-transformer",
    )
    return bin_dir


@pytest.mark.slow
def test_the_core_is_ours_and_the_other_seqx_is_not_installed(installed: Path) -> None:
    listed = _run(installed / "python", "-m", "pip", "list", "--format=freeze").stdout
    names = {line.split("==")[0].lower() for line in listed.splitlines()}
    assert {"seqx-core", "seqx-transformer", "seqx-optim", "seqx-data"} <= names
    assert "seqx" not in names
    version = _run(installed / "seqx", "--version").stdout
    assert "seqx 0.1.0" in version and "seqx-transformer" in version


@pytest.mark.slow
def test_trains_and_decodes_from_the_installed_wheels(installed: Path, tmp_path: Path) -> None:
    raw = tmp_path / "raw"
    write_corpus(str(raw), train=300, valid=20, test=10, seed=5)
    seqx = installed / "seqx"
    env = {**os.environ, "PATH": f"{installed}:{os.environ['PATH']}"}
    _run(
        seqx, "preprocess", "-s", "de", "-t", "en",
        "--trainpref", raw / "train", "--validpref", raw / "valid", "--testpref", raw / "test",
        "--destdir", tmp_path / "bin", "--joined-dictionary", env=env,
    )  # fmt: skip
    _run(
        seqx, "train", tmp_path / "bin", "--arch", "transformer_tiny", "--optimizer", "adam",
        "--lr", "0.005", "--max-tokens", "1024", "--max-update", "4", "--num-workers", "0",
        "--save-dir", tmp_path / "ck", env=env,
    )  # fmt: skip
    out = _run(
        seqx, "generate", tmp_path / "bin", "--path", tmp_path / "ck" / "checkpoint_last.pt",
        "--beam", "2", "--batch-size", "8", env=env,
    ).stdout  # fmt: skip
    assert sum(line.startswith("H-") for line in out.splitlines()) == 10
