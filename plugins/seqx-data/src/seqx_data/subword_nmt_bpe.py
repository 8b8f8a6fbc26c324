"""The ``subword_nmt`` subword model: Sennrich et al.'s BPE through the subword-nmt package.

Encoding marks every unit that does not end a word with ``--bpe-separator`` (``@@``);
decoding joins them back, as fairseq's ``subword_nmt`` does. ``seqx preprocess --bpe
subword_nmt --bpe-vocab-size N`` learns N merge operations jointly over the training text
of both languages (subword-nmt's ``learn_joint_bpe`` without the vocabulary filter).
"""

from __future__ import annotations

import contextlib
import dataclasses
import itertools
import os
from collections.abc import Sequence
from typing import Any

from seqx.data.tokenizer import BPE
from seqx.errors import SeqxError


def _subword_nmt() -> Any:
    try:
        from subword_nmt import apply_bpe, learn_bpe
    except ImportError:
        raise SeqxError("--bpe subword_nmt needs subword-nmt: pip install subword-nmt") from None
    return apply_bpe, learn_bpe


class SubwordNMTBPE(BPE):
    """Applies learned BPE codes (a subword-nmt codes file)."""

    model_files = ("bpe_codes",)

    def __init__(self, cfg: Any) -> None:
        super().__init__(cfg)
        apply_bpe, _ = _subword_nmt()
        path = cfg.bpe_codes
        if not path:
            raise SeqxError("--bpe subword_nmt needs --bpe-codes PATH (subword-nmt's codes file)")
        if not os.path.isfile(path):
            raise SeqxError(f"--bpe-codes '{path}' does not exist")
        with open(path, encoding="utf-8") as codes:
            try:
                self.bpe = apply_bpe.BPE(codes, separator=cfg.bpe_separator)
            except (ValueError, IndexError) as exc:
                raise SeqxError(
                    f"--bpe-codes '{path}' is not a subword-nmt codes file ({exc})"
                ) from None
        self.symbol = cfg.bpe_separator + " "

    def encode(self, x: str) -> str:
        return str(self.bpe.process_line(x))

    def decode(self, x: str) -> str:
        return (x + " ").replace(self.symbol, "").rstrip()

    def is_beginning_of_word(self, x: str) -> bool:
        raise SeqxError(
            "subword-nmt marks the units that end no word, so one unit alone does not tell "
            "whether it begins one; use sentencepiece for word-level masking"
        )

    @classmethod
    def learn(
        cls, cfg: Any, inputs: Sequence[str], model_prefix: str, vocab_size: int, workers: int = 1
    ) -> Any:
        _, learn_bpe = _subword_nmt()
        codes = model_prefix + ".codes"
        with contextlib.ExitStack() as stack:
            files = [stack.enter_context(open(p, encoding="utf-8")) for p in inputs]
            out = stack.enter_context(open(codes, "w", encoding="utf-8"))
            learn_bpe.learn_bpe(itertools.chain(*files), out, vocab_size, min_frequency=2)
        return dataclasses.replace(cfg, bpe_codes=codes)
