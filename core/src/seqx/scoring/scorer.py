"""``Scorer``: accumulates (reference, hypothesis) pairs and reports a corpus score."""

from __future__ import annotations

from typing import Any


class Scorer:
    """Base class, built as ``cls(cfg)``; fairseq's ``add_string``/``score``/``result_string``."""

    uses_detokenized: bool = True
    """Whether the scorer reads detokenized text (D lines) rather than tokens (H lines)."""

    def __init__(self, cfg: Any = None) -> None:
        self.cfg = cfg
        self.refs: list[str] = []
        self.preds: list[str] = []

    def add_string(self, ref: str, pred: str) -> None:
        """Add one reference and its hypothesis."""
        self.refs.append(ref)
        self.preds.append(pred)

    def score(self) -> float:
        """The corpus score."""
        raise NotImplementedError

    def result_string(self) -> str:
        """The score as printed after generation."""
        raise NotImplementedError
