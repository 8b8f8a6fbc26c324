"""The fixtures fairseq 0.12.2 wrote (``tests/fixtures/fairseq``, made by its script)."""

import shutil
import subprocess
from pathlib import Path

import pytest

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "fairseq"


@pytest.fixture
def fairseq_dir() -> Path:
    return FIXTURES


@pytest.fixture
def model_dir(fairseq_dir, tmp_path) -> Path:
    """A model folder as fairseq users keep one: model.pt (fairseq's Transformer), the
    dictionaries, bpecodes."""
    folder = tmp_path / "model"
    folder.mkdir()
    shutil.copy(fairseq_dir / "transformer.pt", folder / "model.pt")
    for name in ("data-bin/dict.en.txt", "data-bin/dict.de.txt", "bpecodes"):
        shutil.copy(fairseq_dir / name, folder)
    return folder


@pytest.fixture
def seqx(capsys):
    """``seqx(*args, check=True)``: the command line run in this process (no interpreter
    and torch start per call), as a CompletedProcess; ``check`` fails on a non-zero exit."""
    from seqx.cli.main import main

    def run(*args, check=True):
        argv = [str(a) for a in args]
        code = 0
        try:
            main(argv)
        except SystemExit as exc:
            code = exc.code if isinstance(exc.code, int) else 1
        out, err = capsys.readouterr()
        if check and code != 0:
            raise AssertionError(f"seqx {' '.join(argv)} failed:\n{err}")
        return subprocess.CompletedProcess(argv, code, out, err)

    return run
