"""``Dictionary``: symbols <-> indices, in fairseq's ``dict.txt`` format.

The four special symbols come first with fairseq's indices: ``<s>`` 0,
``<pad>`` 1, ``</s>`` 2, ``<unk>`` 3. A ``dict.txt`` line is ``SYMBOL COUNT``,
optionally followed by ``#fairseq:overwrite`` to redefine an earlier symbol.
"""

from __future__ import annotations

import os
import re
from collections import Counter
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any, TextIO

import numpy as np

from seqx.data.lines import iter_lines, text_lines
from seqx.errors import SeqxError

if TYPE_CHECKING:
    import torch

SPACE = re.compile(r"\s+")
OVERWRITE = "#fairseq:overwrite"


def tokenize_line(line: str) -> list[str]:
    """Split ``line`` on runs of white space."""
    return SPACE.sub(" ", line).strip().split()


def post_process(sentence: str, symbol: str | None) -> str:
    """Undo subword segmentation: ``sentencepiece``, ``subword_nmt``/``@@ ``, ``letter``, ..."""
    if symbol is None or symbol == "none":
        return sentence
    if symbol == "sentencepiece":
        return sentence.replace(" ", "").replace("\u2581", " ").strip()
    if symbol == "wordpiece":
        return sentence.replace(" ", "").replace("_", " ").strip()
    if symbol == "letter":
        return sentence.replace(" ", "").replace("|", " ").strip()
    if symbol == "silence":
        return re.sub(r"<SIL>", "", sentence).strip()
    if symbol == "_EOW":
        return sentence.replace(" ", "").replace("_EOW", " ").strip()
    if symbol in ("subword_nmt", "@@ ", "@@"):
        marker = "@@ " if symbol != "@@" else "@@"
        return (sentence + " ").replace(marker, "").rstrip()
    return (sentence + " ").replace(symbol, "").rstrip()


class Dictionary:
    """A mapping of symbols to consecutive integers, with counts."""

    def __init__(
        self,
        *,
        bos: str = "<s>",
        pad: str = "<pad>",
        eos: str = "</s>",
        unk: str = "<unk>",
        extra_special_symbols: Iterable[str] | None = None,
    ) -> None:
        self.bos_word, self.unk_word, self.pad_word, self.eos_word = bos, unk, pad, eos
        self.symbols: list[str] = []
        self.count: list[int] = []
        self.indices: dict[str, int] = {}
        self.bos_index = self.add_symbol(bos)
        self.pad_index = self.add_symbol(pad)
        self.eos_index = self.add_symbol(eos)
        self.unk_index = self.add_symbol(unk)
        for s in extra_special_symbols or ():
            self.add_symbol(s)
        self.nspecial = len(self.symbols)
        self.file: str | None = None
        """The file this dictionary was loaded from (None when built in memory)."""

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Dictionary) and self.indices == other.indices

    def __getitem__(self, idx: int) -> str:
        if idx < len(self.symbols):
            return self.symbols[idx]
        return self.unk_word

    def __len__(self) -> int:
        return len(self.symbols)

    def __contains__(self, sym: str) -> bool:
        return sym in self.indices

    def fingerprint(self) -> str:
        """A short hash of the symbols in order (counts aside): two dictionaries with the
        same fingerprint map every id to the same symbol."""
        import hashlib

        return hashlib.sha256("\n".join(self.symbols).encode("utf-8")).hexdigest()[:16]

    def index(self, sym: str) -> int:
        """The index of ``sym`` (``unk()`` if absent)."""
        return self.indices.get(sym, self.unk_index)

    def bos(self) -> int:
        """Index of the beginning-of-sentence symbol."""
        return self.bos_index

    def pad(self) -> int:
        """Index of the padding symbol."""
        return self.pad_index

    def eos(self) -> int:
        """Index of the end-of-sentence symbol."""
        return self.eos_index

    def unk(self) -> int:
        """Index of the unknown symbol."""
        return self.unk_index

    def add_symbol(self, word: str, n: int = 1, overwrite: bool = False) -> int:
        """Add ``word`` (or add ``n`` to its count); return its index."""
        if word in self.indices and not overwrite:
            idx = self.indices[word]
            self.count[idx] += n
            return idx
        idx = len(self.symbols)
        self.indices[word] = idx
        self.symbols.append(word)
        self.count.append(n)
        return idx

    def update(self, other: Dictionary) -> None:
        """Add ``other``'s symbols and counts."""
        for word, n in zip(other.symbols, other.count):
            self.add_symbol(word, n)

    def finalize(self, threshold: int = -1, nwords: int = -1, padding_factor: int = 8) -> None:
        """Sort by frequency (ties alphabetically), keep ``nwords`` with count >= ``threshold``.

        Then pad the size to a multiple of ``padding_factor`` with
        ``madeupwordNNNN`` symbols, as fairseq does (good for GPU kernels).
        """
        if nwords <= 0:
            nwords = len(self)
        symbols = self.symbols[: self.nspecial]
        counts = self.count[: self.nspecial]
        indices = {s: i for i, s in enumerate(symbols)}
        rest = Counter(
            dict(sorted(zip(self.symbols[self.nspecial :], self.count[self.nspecial :])))
        )
        for symbol, count in rest.most_common(nwords - self.nspecial):
            if count < threshold:
                break
            indices[symbol] = len(symbols)
            symbols.append(symbol)
            counts.append(count)
        self.symbols, self.count, self.indices = symbols, counts, indices
        self.pad_to_multiple_(padding_factor)

    def pad_to_multiple_(self, padding_factor: int) -> None:
        """Add ``madeupwordNNNN`` symbols until the size is a multiple of ``padding_factor``."""
        if padding_factor > 1:
            i = 0
            while len(self) % padding_factor != 0:
                self.add_symbol(f"madeupword{i:04d}", n=0)
                i += 1

    # -- files ---------------------------------------------------------------------------

    @classmethod
    def load(cls, f: str | os.PathLike[str] | TextIO, **kwargs: Any) -> Dictionary:
        """Load a ``dict.txt`` (a path or an open text file)."""
        d = cls(**kwargs)
        d.add_from_file(f)
        return d

    def add_from_file(self, f: str | os.PathLike[str] | TextIO) -> None:
        """Add the symbols of a ``dict.txt`` (read by :mod:`seqx.data.lines`'s rule); errors
        name the file and line."""
        if isinstance(f, (str, os.PathLike)):
            path = os.fspath(f)
            if not os.path.exists(path):
                raise SeqxError(f"dictionary file '{path}' does not exist")
            self._add_lines(iter_lines(path), path)
            self.file = path
            return
        self._add_lines(text_lines(f), getattr(f, "name", "<dictionary>"))

    def _add_lines(self, lines: Iterable[str], name: str) -> None:
        for lineno, line in enumerate(lines, 1):
            if not line.strip():
                continue
            try:
                word, field = line.rstrip().rsplit(" ", 1)
                overwrite = False
                if field == OVERWRITE:
                    overwrite = True
                    word, field = word.rsplit(" ", 1)
                count = int(field)
            except ValueError:
                raise SeqxError(
                    f"{name}, line {lineno}: expected '<symbol> <count> [{OVERWRITE}]', "
                    f"got {line!r}"
                ) from None
            if word in self and not overwrite:
                raise SeqxError(
                    f"{name}, line {lineno}: duplicate symbol {word!r}; add {OVERWRITE} at the "
                    "end of the line to redefine it"
                )
            self.add_symbol(word, n=count, overwrite=overwrite)

    def save(self, f: str | os.PathLike[str] | TextIO) -> None:
        """Write the non-special symbols as ``dict.txt`` lines."""
        if isinstance(f, (str, os.PathLike)):
            os.makedirs(os.path.dirname(os.fspath(f)) or ".", exist_ok=True)
            with open(f, "w", encoding="utf-8") as fd:
                self.save(fd)
            return
        for symbol, count in zip(self.symbols[self.nspecial :], self.count[self.nspecial :]):
            f.write(f"{symbol} {count}\n")

    # -- encoding ------------------------------------------------------------------------

    def encode_line(
        self,
        line: str,
        line_tokenizer: Callable[[str], list[str]] = tokenize_line,
        add_if_not_exist: bool = True,
        consumer: Callable[[str, int], None] | None = None,
        append_eos: bool = True,
        reverse_order: bool = False,
    ) -> torch.Tensor:
        """Encode ``line`` as an IntTensor of indices (``</s>`` appended)."""
        import torch

        ids = self.encode_tokens(
            line_tokenizer(line), add_if_not_exist, consumer, append_eos, reverse_order
        )
        return torch.from_numpy(ids)

    def encode_tokens(
        self,
        words: list[str],
        add_if_not_exist: bool = False,
        consumer: Callable[[str, int], None] | None = None,
        append_eos: bool = True,
        reverse_order: bool = False,
    ) -> np.ndarray:
        """Encode a list of symbols as an int32 array."""
        if reverse_order:
            words = list(reversed(words))
        if add_if_not_exist:
            ids = [self.add_symbol(w) for w in words]
        else:
            get, unk = self.indices.get, self.unk_index
            ids = [get(w, unk) for w in words]
        if consumer is not None:
            for w, i in zip(words, ids):
                consumer(w, i)
        if append_eos:
            ids.append(self.eos_index)
        return np.asarray(ids, dtype=np.int32)

    def string(
        self,
        tensor: Any,
        bpe_symbol: str | None = None,
        escape_unk: bool = False,
        extra_symbols_to_ignore: Iterable[int] | None = None,
        unk_string: str | None = None,
        include_eos: bool = False,
        separator: str = " ",
    ) -> str:
        """Indices back to text, dropping ``</s>``/``<pad>``/``<s>`` and undoing ``bpe_symbol``."""
        if hasattr(tensor, "dim") and tensor.dim() == 2:
            return "\n".join(
                self.string(
                    t,
                    bpe_symbol,
                    escape_unk,
                    extra_symbols_to_ignore,
                    unk_string,
                    include_eos,
                    separator,
                )
                for t in tensor
            )
        ignore = set(extra_symbols_to_ignore or ())
        if not include_eos:
            ignore.add(self.eos_index)
        ignore.add(self.pad_index)
        ignore.add(self.bos_index)
        values = tensor.tolist() if hasattr(tensor, "tolist") else list(tensor)
        words = []
        for i in values:
            if i in ignore:
                continue
            if i == self.unk_index and (escape_unk or unk_string is not None):
                words.append(unk_string if unk_string is not None else f"<{self.unk_word}>")
            else:
                words.append(self[i])
        return post_process(separator.join(words), bpe_symbol)

    def dummy_sentence(self, length: int) -> Any:
        """A random sentence of ``length`` tokens ending in ``</s>`` (for tests and warm-up)."""
        import torch

        t = torch.randint(self.nspecial, max(self.nspecial + 1, len(self)), (length,))
        t[-1] = self.eos()
        return t
