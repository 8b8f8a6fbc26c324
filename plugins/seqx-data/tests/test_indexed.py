import struct

import numpy as np
import pytest

from seqx.data.dictionary import Dictionary
from seqx.errors import SeqxError
from seqx.testing import DatasetFormatConformance
from seqx_data.indexed import CachedFormat, LazyFormat


class TestLazy(DatasetFormatConformance):
    plugin = "seqx_data.plugin"
    name = "lazy"


class TestCached(DatasetFormatConformance):
    plugin = "seqx_data.plugin"
    name = "cached"


def _dictionary(n: int = 10) -> Dictionary:
    d = Dictionary()
    for i in range(n):
        d.add_symbol(f"w{i}")
    return d


def test_writes_fairseqs_exact_bytes(tmp_path):
    prefix = str(tmp_path / "x")
    writer = LazyFormat().writer(prefix, vocab_size=100)
    writer.add_item(np.array([5, 6, 2]))
    writer.add_item(np.array([7, 2]))
    writer.finalize()
    assert (tmp_path / "x.bin").read_bytes() == np.array([6, 7, 3, 8, 3], "<i4").tobytes()
    assert (tmp_path / "x.idx").read_bytes() == (
        b"TNTIDX\x00\x00"
        + struct.pack("<QQQQQ", 1, 4, 4, 2, 2)
        + np.array([0, 1, 2], "<i8").tobytes()
        + np.array([0, 3, 5], "<i8").tobytes()
        + np.array([3, 2], "<i8").tobytes()
    )
    for fmt in (LazyFormat(), CachedFormat()):
        ds = fmt.load(prefix, _dictionary())
        assert [ds[i].tolist() for i in range(len(ds))] == [[5, 6, 2], [7, 2]]


def test_bad_files_are_named(tmp_path):
    prefix = str(tmp_path / "z")
    writer = LazyFormat().writer(prefix, vocab_size=100)
    writer.add_item(np.array([50, 2]))
    writer.finalize()
    with pytest.raises(SeqxError, match="holds token id 50, but the dictionary has 14"):
        LazyFormat().load(prefix, _dictionary())
    (tmp_path / "z.bin").write_bytes(b"\x01")
    with pytest.raises(SeqxError, match="z.bin' is truncated"):
        LazyFormat().load(prefix, _dictionary(100))
    raw = (tmp_path / "z.idx").read_bytes()
    (tmp_path / "z.idx").write_bytes(raw[:-3])
    with pytest.raises(SeqxError, match="z.idx' is truncated or corrupted"):
        LazyFormat().load(prefix, _dictionary(100))
    (tmp_path / "z.idx").write_bytes(b"MMIDIDX\x00\x00" + raw[9:])
    with pytest.raises(SeqxError, match="use --dataset-impl mmap"):
        LazyFormat().load(prefix, _dictionary(100))
