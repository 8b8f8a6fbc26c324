"""The ``sentencepiece`` subword model."""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Sequence
from typing import Any

from seqx.data.tokenizer import BPE
from seqx.errors import SeqxError


class SentencepieceBPE(BPE):
    """Encodes with a SentencePiece model; decoding joins pieces on ``▁``."""

    model_files = ("sentencepiece_model",)

    def __init__(self, cfg: Any) -> None:
        super().__init__(cfg)
        import sentencepiece as spm

        path = cfg.sentencepiece_model
        if not path:
            raise SeqxError("--bpe sentencepiece needs --sentencepiece-model PATH")
        if not os.path.isfile(path):
            raise SeqxError(f"sentencepiece model '{path}' does not exist")
        self.sp = spm.SentencePieceProcessor(model_file=path)

    def _options(self) -> dict[str, Any]:
        if not self.cfg.sentencepiece_enable_sampling:
            return {}
        return {"enable_sampling": True, "alpha": self.cfg.sentencepiece_alpha or 0.1}

    def encode(self, x: str) -> str:
        return " ".join(self.sp.encode(x, out_type=str, **self._options()))

    def encode_lines(self, lines: Sequence[str]) -> list[str]:
        pieces = self.sp.encode(list(lines), out_type=str, **self._options())
        return [" ".join(p) for p in pieces]

    def decode(self, x: str) -> str:
        return x.replace(" ", "").replace("\u2581", " ").strip()

    def is_beginning_of_word(self, x: str) -> bool:
        if x in ("<unk>", "<s>", "</s>", "<pad>"):
            return True
        return x.startswith("\u2581")

    @classmethod
    def learn(
        cls, cfg: Any, inputs: Sequence[str], model_prefix: str, vocab_size: int, workers: int = 1
    ) -> Any:
        import sentencepiece as spm

        try:
            spm.SentencePieceTrainer.train(
                input=list(inputs),
                model_prefix=model_prefix,
                vocab_size=vocab_size,
                model_type=cfg.sentencepiece_model_type,
                character_coverage=cfg.sentencepiece_character_coverage,
                num_threads=max(1, workers),
                bos_id=-1,
                eos_id=-1,
                unk_id=0,
                hard_vocab_limit=False,  # a small corpus yields fewer pieces instead of failing
                minloglevel=2,
            )
        except RuntimeError as exc:
            raise SeqxError(
                f"learning a sentencepiece model of {vocab_size} pieces failed: {exc} "
                "(a smaller --bpe-vocab-size may fit the text)"
            ) from None
        return dataclasses.replace(cfg, sentencepiece_model=model_prefix + ".model")
