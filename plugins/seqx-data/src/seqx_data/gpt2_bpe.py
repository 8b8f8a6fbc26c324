"""The ``gpt2`` subword model: GPT-2's byte-level BPE from its ``encoder.json`` and
``vocab.bpe`` (given by --gpt2-encoder-json and --gpt2-vocab-bpe; nothing is downloaded).

As in fairseq, the units written are the token ids of ``encoder.json`` (``31373 995``),
which become a fairseq dictionary's symbols; text is pre-split by GPT-2's pattern
(contractions, letters, numbers, other symbols, white space), each piece's UTF-8 bytes
written as printable characters, then merged by the ranked merges of ``vocab.bpe``.
"""

from __future__ import annotations

import functools
import json
import os
from typing import Any

from seqx.data.tokenizer import BPE
from seqx.errors import SeqxError

PATTERN = r"""'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+"""
"""GPT-2's pre-tokenization."""


@functools.cache
def byte_chars() -> dict[int, str]:
    """GPT-2's printable character for each byte: printable Latin-1 bytes as themselves,
    the others as the characters from 256 on, in byte order."""
    keep = [*range(ord("!"), ord("~") + 1), *range(ord("¡"), ord("¬") + 1)]
    keep += range(ord("®"), ord("ÿ") + 1)
    out, extra = {}, 0
    for b in range(256):
        if b in keep:
            out[b] = chr(b)
        else:
            out[b] = chr(256 + extra)
            extra += 1
    return out


def _read(path: str | None, flag: str) -> str:
    if not path:
        raise SeqxError(f"--bpe gpt2 needs {flag} PATH (GPT-2's file; nothing is downloaded)")
    if not os.path.isfile(path):
        raise SeqxError(f"{flag} '{path}' does not exist")
    with open(path, encoding="utf-8") as f:
        return f.read()


class GPT2BPE(BPE):
    """GPT-2's byte-level BPE; units are token ids."""

    model_files = ("gpt2_encoder_json", "gpt2_vocab_bpe")

    def __init__(self, cfg: Any) -> None:
        super().__init__(cfg)
        import regex

        try:
            self.encoder: dict[str, int] = json.loads(
                _read(cfg.gpt2_encoder_json, "--gpt2-encoder-json")
            )
        except json.JSONDecodeError as exc:
            raise SeqxError(f"--gpt2-encoder-json '{cfg.gpt2_encoder_json}': {exc}") from None
        merges = _read(cfg.gpt2_vocab_bpe, "--gpt2-vocab-bpe").split("\n")[1:-1]
        self.ranks = {tuple(m.split()): i for i, m in enumerate(merges)}
        self.decoder = {i: s for s, i in self.encoder.items()}
        self.to_char = byte_chars()
        self.to_byte = {c: b for b, c in self.to_char.items()}
        self.pattern = regex.compile(PATTERN)
        self.cache: dict[str, list[str]] = {}

    def _merge(self, piece: str) -> list[str]:
        if piece in self.cache:
            return self.cache[piece]
        word = list(piece)
        while len(word) > 1:
            pairs = {(a, b) for a, b in zip(word, word[1:], strict=False)}
            best = min(pairs, key=lambda p: self.ranks.get(p, float("inf")))
            if best not in self.ranks:
                break
            merged, i = [], 0
            while i < len(word):
                if i < len(word) - 1 and (word[i], word[i + 1]) == best:
                    merged.append(word[i] + word[i + 1])
                    i += 2
                else:
                    merged.append(word[i])
                    i += 1
            word = merged
        self.cache[piece] = word
        return word

    def encode(self, x: str) -> str:
        ids = []
        for piece in self.pattern.findall(x):
            chars = "".join(self.to_char[b] for b in piece.encode("utf-8"))
            try:
                ids += [self.encoder[unit] for unit in self._merge(chars)]
            except KeyError as exc:
                raise SeqxError(
                    f"--gpt2-encoder-json has no id for {exc.args[0]!r}: it does not match "
                    "--gpt2-vocab-bpe"
                ) from None
        return " ".join(map(str, ids))

    def decode(self, x: str) -> str:
        units = [self.decoder.get(int(t), t) if t.isdigit() else t for t in x.split()]
        chars = "".join(units)
        data = bytearray(self.to_byte[c] for c in chars if c in self.to_byte)
        return data.decode("utf-8", errors="replace")

    def is_beginning_of_word(self, x: str) -> bool:
        return self.decode(x).startswith(" ")
