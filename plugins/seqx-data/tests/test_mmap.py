import struct

import numpy as np
import pytest

from seqx.data.dictionary import Dictionary
from seqx.errors import SeqxError
from seqx.testing import DatasetFormatConformance
from seqx_data.mmap import MMapFormat


class TestMMap(DatasetFormatConformance):
    plugin = "seqx_data.plugin"
    name = "mmap"


def test_writes_fairseqs_exact_bytes(tmp_path):
    prefix = str(tmp_path / "x")
    writer = MMapFormat().writer(prefix, vocab_size=100)
    writer.add_item(np.array([5, 6, 2]))
    writer.add_item(np.array([7, 2]))
    writer.finalize()
    assert (tmp_path / "x.bin").read_bytes() == np.array([5, 6, 2, 7, 2], "<u2").tobytes()
    expected = (
        b"MMIDIDX\x00\x00"
        + struct.pack("<Q", 1)
        + struct.pack("<B", 8)  # uint16
        + struct.pack("<Q", 2)
        + np.array([3, 2], "<i4").tobytes()
        + np.array([0, 6], "<i8").tobytes()
    )
    assert (tmp_path / "x.idx").read_bytes() == expected


def test_reads_the_layout_of_seqx_0_1(tmp_path):
    """seqx 0.1 wrote a document count after the sequence count and a document index."""
    (tmp_path / "old.bin").write_bytes(np.array([5, 6, 2, 7, 2], "<u2").tobytes())
    (tmp_path / "old.idx").write_bytes(
        b"MMIDIDX\x00\x00"
        + struct.pack("<QBQQ", 1, 8, 2, 1)
        + np.array([3, 2], "<i4").tobytes()
        + np.array([0, 6], "<i8").tobytes()
        + np.array([0], "<i8").tobytes()
    )
    d = Dictionary()
    for i in range(10):
        d.add_symbol(f"w{i}")
    ds = MMapFormat().load(str(tmp_path / "old"), d)
    assert [ds[i].tolist() for i in range(len(ds))] == [[5, 6, 2], [7, 2]]


def test_large_vocabulary_uses_uint32_as_fairseq_does(tmp_path):
    writer = MMapFormat().writer(str(tmp_path / "y"), vocab_size=70000)
    writer.add_item(np.array([69999, 2]))
    writer.finalize()
    assert (tmp_path / "y.idx").read_bytes()[17] == 9  # uint32
    d = Dictionary()
    for i in range(70000):
        d.add_symbol(f"w{i}")
    assert MMapFormat().load(str(tmp_path / "y"), d)[0].tolist() == [69999, 2]


def test_corrupt_and_mismatched_files_are_named(tmp_path):
    d = Dictionary()
    prefix = str(tmp_path / "z")
    writer = MMapFormat().writer(prefix, vocab_size=100)
    writer.add_item(np.array([50, 2]))
    writer.finalize()
    with pytest.raises(SeqxError, match="holds token id 50, but the dictionary has 4 symbols"):
        MMapFormat().load(prefix, d)
    (tmp_path / "z.bin").write_bytes(b"\x01")
    with pytest.raises(SeqxError, match="z.bin' is truncated"):
        MMapFormat().load(prefix, d)
    (tmp_path / "z.idx").write_bytes(b"garbage")
    with pytest.raises(SeqxError, match="not an mmap index"):
        MMapFormat().load(prefix, d)


def _index_with(tmp_path, sizes, pointers):
    prefix = str(tmp_path / "c")
    writer = MMapFormat().writer(prefix, vocab_size=100)
    writer.add_item(np.array([5, 6, 2]))
    writer.add_item(np.array([7, 2]))
    writer.finalize()
    raw = bytearray((tmp_path / "c.idx").read_bytes())
    raw[26:34] = np.array(sizes, "<i4").tobytes()
    raw[34:50] = np.array(pointers, "<i8").tobytes()
    (tmp_path / "c.idx").write_bytes(bytes(raw))
    d = Dictionary()
    for i in range(10):
        d.add_symbol(f"w{i}")
    return prefix, d


@pytest.mark.parametrize(
    ("sizes", "pointers", "message"),
    [
        ([3, -2], [0, 6], "sequence 1 has size -2"),
        ([3, 2], [0, 4], "sequence 1 starts at byte 4, not 6"),
        ([3, 2], [0, 10**12], "sequence 1 starts at byte 1000000000000, not 6"),
        ([3, 2**31 - 1], [0, 6], "c.bin' is truncated"),
    ],
)
def test_corrupt_index_values_are_refused_when_opened(tmp_path, sizes, pointers, message):
    prefix, d = _index_with(tmp_path, sizes, pointers)
    with pytest.raises(SeqxError, match=message):
        MMapFormat().load(prefix, d)
