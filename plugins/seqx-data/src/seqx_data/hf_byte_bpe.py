"""``hf_byte_bpe``: a byte-level BPE of Hugging Face ``tokenizers`` from its ``vocab.json``
and ``merges.txt`` (--bpe-vocab, --bpe-merges); units are token ids, as in fairseq.
``seqx preprocess --bpe hf_byte_bpe --bpe-vocab-size N`` learns one with ``tokenizers``."""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Sequence
from typing import Any

from seqx.data.tokenizer import BPE
from seqx.errors import SeqxError


def _tokenizers() -> Any:
    try:
        import tokenizers
    except ImportError:
        raise SeqxError(
            "--bpe hf_byte_bpe needs Hugging Face tokenizers: pip install 'seqx-data[hf]'"
        ) from None
    return tokenizers


def _path(value: str | None, flag: str) -> str:
    if not value:
        raise SeqxError(f"--bpe hf_byte_bpe needs {flag} PATH")
    if not os.path.isfile(value):
        raise SeqxError(f"{flag} '{value}' does not exist")
    return value


class HFByteBPE(BPE):
    """Hugging Face's ByteLevelBPETokenizer."""

    model_files = ("bpe_vocab", "bpe_merges")

    def __init__(self, cfg: Any) -> None:
        super().__init__(cfg)
        tokenizers = _tokenizers()
        vocab, merges = _path(cfg.bpe_vocab, "--bpe-vocab"), _path(cfg.bpe_merges, "--bpe-merges")
        try:
            self.bpe = tokenizers.ByteLevelBPETokenizer(
                vocab, merges, add_prefix_space=cfg.bpe_add_prefix_space
            )
        except Exception as exc:  # tokenizers raises its own exception types
            raise SeqxError(f"--bpe-vocab/--bpe-merges cannot be read: {exc}") from None

    def encode(self, x: str) -> str:
        return " ".join(map(str, self.bpe.encode(x).ids))

    def encode_lines(self, lines: Sequence[str]) -> list[str]:
        return [" ".join(map(str, e.ids)) for e in self.bpe.encode_batch(list(lines))]

    def decode(self, x: str) -> str:
        ids = [int(t) for t in x.split() if t.isdigit()]
        return str(self.bpe.decode(ids))

    def is_beginning_of_word(self, x: str) -> bool:
        return self.decode(x).startswith(" ")

    @classmethod
    def learn(
        cls, cfg: Any, inputs: Sequence[str], model_prefix: str, vocab_size: int, workers: int = 1
    ) -> Any:
        tokenizers = _tokenizers()
        bpe = tokenizers.ByteLevelBPETokenizer(add_prefix_space=cfg.bpe_add_prefix_space)
        bpe.train(list(inputs), vocab_size=vocab_size, show_progress=False)
        folder, prefix = os.path.split(model_prefix)
        vocab, merges = bpe.save_model(folder or ".", prefix)
        return dataclasses.replace(cfg, bpe_vocab=vocab, bpe_merges=merges)
