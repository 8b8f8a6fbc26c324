"""Character and byte level units: ``characters``, ``bytes`` and ``byte_bpe``.

``characters`` splits text into its characters; ``bytes`` into its UTF-8 bytes, each
written as one printable character (a printable Latin-1 byte as itself, any other byte
``b`` as ``chr(256 + b)``), as fairseq does. A space becomes ``▁`` so that units are
separated by spaces. Decoding joins the units back; bytes that do not form valid UTF-8
(a model's broken output) are decoded to the most characters that can be recovered.
``byte_bpe`` is a sentencepiece model over byte-encoded text (--sentencepiece-model-path).
"""

from __future__ import annotations

import os
import re
from typing import Any

from seqx.data.tokenizer import BPE
from seqx.errors import SeqxError

SPACE, SPACE_ESCAPE = " ", "\u2581"
_WHITESPACE = re.compile(r"\s+")
_PRINTABLE = set(range(32, 127)) | set(range(161, 173)) | set(range(174, 256))
BYTE_TO_CHAR = {b: chr(b) if b in _PRINTABLE else chr(256 + b) for b in range(256)}
CHAR_TO_BYTE = {c: b for b, c in BYTE_TO_CHAR.items()}


def byte_encode(text: str) -> str:
    """``text`` (white space runs made one space) as one character per UTF-8 byte."""
    data = _WHITESPACE.sub(SPACE, text).encode("utf-8")
    return "".join(BYTE_TO_CHAR[b] for b in data)


def _decode_bytes(chars: str) -> str | None:
    try:
        return bytes(CHAR_TO_BYTE[c] for c in chars).decode("utf-8")
    except (KeyError, UnicodeDecodeError):
        return None


def byte_decode(chars: str) -> str:
    """Byte characters back to text; invalid UTF-8 keeps the most characters it can, as
    fairseq's ``smart_byte_decode`` does (the longest chain of decodable 1-4 byte runs)."""
    whole = _decode_bytes(chars)
    if whole is not None and whole != "":
        return whole
    n = len(chars)
    best, back = [0] * (n + 1), [0] * (n + 1)
    for i in range(1, n + 1):
        best[i], back[i] = best[i - 1], i - 1
        for j in range(1, min(4, i) + 1):
            if best[i - j] + 1 > best[i] and _decode_bytes(chars[i - j : i]):
                best[i], back[i] = best[i - j] + 1, i - j
    out, i = "", n
    while i > 0:
        if best[i] == best[back[i]] + 1:
            out = (_decode_bytes(chars[back[i] : i]) or "") + out
        i = back[i]
    return out


def _units(text: str) -> str:
    return SPACE.join(text.replace(SPACE, SPACE_ESCAPE))


def _join(units: str) -> str:
    return units.replace(SPACE, "").replace(SPACE_ESCAPE, SPACE)


class _Units(BPE):
    def is_beginning_of_word(self, x: str) -> bool:
        raise SeqxError(
            f"--bpe {type(self).__name__.lower()}: words are separated by their own unit "
            "(\u2581), so one unit alone does not tell whether it begins a word"
        )


class Characters(_Units):
    """One unit per character."""

    def encode(self, x: str) -> str:
        return _units(x)

    def decode(self, x: str) -> str:
        return _join(x)


class Bytes(_Units):
    """One unit per UTF-8 byte."""

    def encode(self, x: str) -> str:
        return _units(byte_encode(x))

    def decode(self, x: str) -> str:
        return byte_decode(_join(x))


class ByteBPE(BPE):
    """A sentencepiece model over byte-encoded text. As in fairseq, the space
    sentencepiece puts before the first piece decodes to a leading space."""

    model_files = ("sentencepiece_model_path",)

    def __init__(self, cfg: Any) -> None:
        super().__init__(cfg)
        import sentencepiece as spm

        path = cfg.sentencepiece_model_path
        if not path:
            raise SeqxError("--bpe byte_bpe needs --sentencepiece-model-path PATH")
        if not os.path.isfile(path):
            raise SeqxError(f"--sentencepiece-model-path '{path}' does not exist")
        self.sp = spm.SentencePieceProcessor(model_file=path)

    def encode(self, x: str) -> str:
        return SPACE.join(self.sp.encode(byte_encode(x), out_type=str))

    def decode(self, x: str) -> str:
        return byte_decode(_join(x))

    def is_beginning_of_word(self, x: str) -> bool:
        return x.startswith(SPACE_ESCAPE)
