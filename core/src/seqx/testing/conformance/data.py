"""Conformance suites for dataset formats, tokenizers and subword models."""

from __future__ import annotations

from pathlib import Path
from typing import Any, ClassVar

import numpy as np
import pytest

from seqx.data.dictionary import Dictionary
from seqx.registry import Entry
from seqx.testing.conformance.component import ComponentConformance

SENTENCES = [
    "A man is riding a bike .",
    "Two dogs play in the snow .",
    "A woman , wearing a red hat , sells fruit at the market !",
    "x",
]


def _dictionary() -> Dictionary:
    d = Dictionary()
    for s in SENTENCES:
        d.encode_line(s, add_if_not_exist=True)
    d.finalize(padding_factor=1)
    return d


class DatasetFormatConformance(ComponentConformance):
    """A format stores sequences and gives back the same ones, with their sizes."""

    kind = "dataset_format"

    @pytest.fixture
    def fmt(self, entry: Entry, config: Any) -> Any:
        return entry.load()(config)

    def _write(self, fmt: Any, prefix: str, d: Dictionary, sentences: list[str]) -> None:
        if fmt.stores_text:
            fmt.write_text(prefix, sentences)
        else:
            writer = fmt.writer(prefix, len(d))
            for s in sentences:
                writer.add_item(d.encode_line(s, add_if_not_exist=False).numpy())
            writer.finalize()

    def test_round_trip(self, fmt: Any, tmp_path: Path) -> None:
        d = _dictionary()
        prefix = str(tmp_path / "train.de-en.de")
        assert not fmt.exists(prefix)
        self._write(fmt, prefix, d, SENTENCES)
        assert fmt.exists(prefix)
        ds = fmt.load(prefix, d)
        assert len(ds) == len(SENTENCES)
        for i, s in enumerate(SENTENCES):
            want = d.encode_line(s, add_if_not_exist=False).tolist()
            assert ds[i].tolist() == want
            assert str(ds[i].dtype) == "torch.int64"
            assert int(ds.sizes[i]) == len(want)
        assert d.string(ds[2]) == SENTENCES[2]

    def test_empty_dataset(self, fmt: Any, tmp_path: Path) -> None:
        d = _dictionary()
        prefix = str(tmp_path / "empty")
        self._write(fmt, prefix, d, [])
        ds = fmt.load(prefix, d)
        assert len(ds) == 0 and len(ds.sizes) == 0

    def test_parts_merge_in_order(self, fmt: Any, tmp_path: Path) -> None:
        if fmt.stores_text:
            pytest.skip("a text format has no binary parts to merge")
        d = _dictionary()
        parts = [SENTENCES[:2], SENTENCES[2:]]
        for i, part in enumerate(parts):
            self._write(fmt, str(tmp_path / f"part{i}"), d, part)
        writer = fmt.writer(str(tmp_path / "merged"), len(d))
        for i in range(len(parts)):
            writer.merge_file_(str(tmp_path / f"part{i}"))
        writer.finalize()
        ds = fmt.load(str(tmp_path / "merged"), d)
        assert [d.string(ds[i]) for i in range(len(ds))] == SENTENCES


class TokenizerConformance(ComponentConformance):
    """``decode(encode(x))`` gives back ``x`` for ordinary text."""

    kind = "tokenizer"
    samples: ClassVar[list[str]] = ["Hello, world!", "A man is riding a bike."]
    """Texts that must survive a round trip."""

    @pytest.fixture
    def tokenizer(self, entry: Entry, config: Any) -> Any:
        return entry.load()(config)

    def test_round_trip(self, tokenizer: Any) -> None:
        for x in self.samples:
            encoded = tokenizer.encode(x)
            assert isinstance(encoded, str)
            assert tokenizer.decode(encoded) == x

    def test_tokens_have_no_surrounding_space(self, tokenizer: Any) -> None:
        for x in self.samples:
            encoded = tokenizer.encode("  " + x + "  ")
            assert encoded == encoded.strip()


class BPEConformance(ComponentConformance):
    """A subword model splits text into units and joins them back.

    Subclasses provide a ``config`` fixture pointing at a model (learned with
    ``learn`` when the model can learn).
    """

    kind = "bpe"
    samples: ClassVar[list[str]] = ["a man is riding a bike", "two dogs play in the snow"]
    """Texts that must survive a round trip."""

    @pytest.fixture
    def bpe(self, entry: Entry, config: Any) -> Any:
        return entry.load()(config)

    def test_round_trip(self, bpe: Any) -> None:
        for x in self.samples:
            assert bpe.decode(bpe.encode(x)) == x

    def test_encode_lines_matches_encode(self, bpe: Any) -> None:
        assert bpe.encode_lines(self.samples) == [bpe.encode(x) for x in self.samples]

    def test_first_unit_begins_a_word(self, bpe: Any) -> None:
        for x in self.samples:
            assert bpe.is_beginning_of_word(bpe.encode(x).split()[0])

    def test_units_are_single_tokens(self, bpe: Any) -> None:
        for x in self.samples:
            units = bpe.encode(x).split(" ")
            assert all(units) and np.all([" " not in u for u in units])
