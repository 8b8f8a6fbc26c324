"""The fixtures fairseq 0.12.2 wrote (``tests/fixtures/fairseq``, made by its script)."""

from pathlib import Path

import pytest

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "fairseq"


@pytest.fixture
def fairseq_dir() -> Path:
    return FIXTURES
