"""Raw text <-> model text: the tokenizer then the subword model, and back."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from seqx.registry import Entry


@dataclass
class ComponentSpec:
    """A component to build (possibly in another process): its registry entry and config."""

    entry: Entry
    """The registry entry."""
    config: Any
    """Its config instance (or None)."""

    def build(self) -> Any:
        """Instantiate the component."""
        return self.entry.load()(self.config)


class TextPipeline:
    """``encode``: tokenizer then BPE; ``decode``: BPE then tokenizer."""

    def __init__(self, tokenizer: Any = None, bpe: Any = None) -> None:
        self.tokenizer = tokenizer
        self.bpe = bpe

    @classmethod
    def build(cls, tokenizer: ComponentSpec | None, bpe: ComponentSpec | None) -> TextPipeline:
        """Build the components described by the specs."""
        return cls(
            tokenizer.build() if tokenizer is not None else None,
            bpe.build() if bpe is not None else None,
        )

    @property
    def identity(self) -> bool:
        """Whether the pipeline leaves text as it is."""
        return self.tokenizer is None and self.bpe is None

    def encode(self, x: str) -> str:
        """Raw text to model text."""
        if self.tokenizer is not None:
            x = self.tokenizer.encode(x)
        if self.bpe is not None:
            x = self.bpe.encode(x)
        return x

    def encode_lines(self, lines: Sequence[str]) -> list[str]:
        """``encode`` for many lines."""
        out = list(lines)
        if self.tokenizer is not None:
            out = [self.tokenizer.encode(x) for x in out]
        if self.bpe is not None:
            out = self.bpe.encode_lines(out)
        return out

    def decode(self, x: str, subwords_undone: bool = False) -> str:
        """Model text back to raw text (``subwords_undone``: ``--post-process`` has
        already joined the subwords, so only the tokenizer is undone)."""
        if self.bpe is not None and not subwords_undone:
            x = self.bpe.decode(x)
        if self.tokenizer is not None:
            x = self.tokenizer.decode(x)
        return x
