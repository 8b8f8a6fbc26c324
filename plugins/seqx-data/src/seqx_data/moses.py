"""The ``moses`` tokenizer, through sacremoses (the ``moses`` extra)."""

from __future__ import annotations

from typing import Any

from seqx.data.tokenizer import Tokenizer
from seqx.errors import SeqxError


class MosesTokenizer(Tokenizer):
    """Moses tokenization of ``source_lang`` text, detokenization of ``target_lang`` text."""

    def __init__(self, cfg: Any) -> None:
        super().__init__(cfg)
        try:
            from sacremoses import MosesDetokenizer
            from sacremoses import MosesTokenizer as _Tok
        except ImportError:
            raise SeqxError(
                "--tokenizer moses needs sacremoses: pip install 'seqx-data[moses]'"
            ) from None
        self.tok = _Tok(cfg.source_lang or "en")
        self.detok = MosesDetokenizer(cfg.target_lang or "en")

    def encode(self, x: str) -> str:
        return self.tok.tokenize(
            x,
            aggressive_dash_splits=not self.cfg.moses_no_dash_splits,
            return_str=True,
            escape=not self.cfg.moses_no_escape,
        )

    def decode(self, x: str) -> str:
        return self.detok.detokenize(x.split())
