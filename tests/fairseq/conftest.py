"""The fixtures fairseq 0.12.2 wrote (``tests/fixtures/fairseq``, made by its script)."""

import shutil
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
