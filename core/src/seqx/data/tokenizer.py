"""``Tokenizer`` (``--tokenizer``) and ``BPE`` (``--bpe``): text <-> model input text.

Both follow fairseq's encoders: ``encode`` turns raw text into what the
dictionary sees, ``decode`` undoes it. Text flows raw -> tokenizer -> BPE
on the way in and BPE -> tokenizer -> raw on the way out.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any


class Tokenizer:
    """Splits raw text into tokens joined by spaces, and joins them back."""

    def __init__(self, cfg: Any = None) -> None:
        self.cfg = cfg

    def encode(self, x: str) -> str:
        """Tokenize raw text."""
        raise NotImplementedError

    def decode(self, x: str) -> str:
        """Detokenize."""
        raise NotImplementedError


class BPE:
    """A subword model: splits text into subword units, and joins them back."""

    model_files: tuple[str, ...] = ()
    """Config fields that name model files (kept relative to a data folder)."""

    def __init__(self, cfg: Any = None) -> None:
        self.cfg = cfg

    def encode(self, x: str) -> str:
        """Text to space-separated subword units."""
        raise NotImplementedError

    def encode_lines(self, lines: Sequence[str]) -> list[str]:
        """``encode`` many lines (a model may do this faster than one at a time)."""
        return [self.encode(x) for x in lines]

    def decode(self, x: str) -> str:
        """Subword units back to text."""
        raise NotImplementedError

    def is_beginning_of_word(self, x: str) -> bool:
        """Whether unit ``x`` starts a word."""
        raise NotImplementedError

    @classmethod
    def learn(
        cls, cfg: Any, inputs: Sequence[str], model_prefix: str, vocab_size: int, workers: int = 1
    ) -> Any:
        """Learn a model from text files ``inputs``; return ``cfg`` pointing at it."""
        raise NotImplementedError(f"{cls.__name__} cannot learn a model; give one instead")
