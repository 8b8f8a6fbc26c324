"""``bert``: BERT's WordPiece from a vocabulary file (--bpe-vocab-file; nothing is
downloaded), with BERT's basic tokenization (lowercased and accents stripped unless
--bpe-cased), through Hugging Face ``tokenizers``. Decoding joins ``##`` pieces and
cleans the spaces before punctuation and contractions, as fairseq's ``bert`` does."""

from __future__ import annotations

import os
from typing import Any

from seqx.data.tokenizer import BPE
from seqx.errors import SeqxError

CLEAN_UP = (
    (" .", "."),
    (" ?", "?"),
    (" !", "!"),
    (" ,", ","),
    (" ' ", "'"),
    (" n't", "n't"),
    (" 'm", "'m"),
    (" 's", "'s"),
    (" 've", "'ve"),
    (" 're", "'re"),
)
"""transformers' ``clean_up_tokenization``, in its order."""


class BertBPE(BPE):
    """WordPiece units; a unit that continues a word starts with ``##``."""

    model_files = ("bpe_vocab_file",)

    def __init__(self, cfg: Any) -> None:
        super().__init__(cfg)
        try:
            from tokenizers import BertWordPieceTokenizer
        except ImportError:
            raise SeqxError(
                "--bpe bert needs Hugging Face tokenizers: pip install 'seqx-data[hf]'"
            ) from None
        path = cfg.bpe_vocab_file
        if not path:
            raise SeqxError(
                "--bpe bert needs --bpe-vocab-file PATH (BERT's vocab.txt; nothing is downloaded)"
            )
        if not os.path.isfile(path):
            raise SeqxError(f"--bpe-vocab-file '{path}' does not exist")
        self.tokenizer = BertWordPieceTokenizer(path, lowercase=not cfg.bpe_cased)

    def encode(self, x: str) -> str:
        return " ".join(self.tokenizer.encode(x, add_special_tokens=False).tokens)

    def decode(self, x: str) -> str:
        text = x.replace(" ##", "").strip()
        for old, new in CLEAN_UP:
            text = text.replace(old, new)
        return text

    def is_beginning_of_word(self, x: str) -> bool:
        return not x.startswith("##")
