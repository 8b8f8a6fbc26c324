"""The mmap reader given arbitrary or damaged index and data files: a dataset whose every
item reads, or a SeqxError naming the file; never another exception, never a hang."""

import os
import tempfile

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from seqx.data.dictionary import Dictionary
from seqx.errors import SeqxError
from seqx_data.mmap import MMapFormat

DICT = Dictionary()
for _i in range(40):
    DICT.add_symbol(f"w{_i}")


def _sound(folder: str) -> str:
    prefix = os.path.join(folder, "x")
    writer = MMapFormat().writer(prefix, vocab_size=len(DICT))
    for ids in ([5, 6, 2], [7, 2], [], [9, 10, 11, 2]):
        writer.add_item(np.array(ids))
    writer.finalize()
    return prefix


def _read_all(prefix: str) -> None:
    try:
        ds = MMapFormat().load(prefix, DICT)
    except SeqxError as exc:
        assert prefix in str(exc) or "'" in str(exc)
        return
    for i in range(len(ds)):
        assert len(ds[i]) == ds.sizes[i]
        assert int(np.asarray(ds[i]).max(initial=0)) < len(DICT)


@settings(max_examples=200, deadline=2000)
@given(data=st.data())
def test_damaged_index_or_data(data):
    with tempfile.TemporaryDirectory() as folder:
        _damage_and_read(data, _sound(folder))


def _damage_and_read(data, prefix):
    which = data.draw(st.sampled_from([".idx", ".bin"]))
    with open(prefix + which, "rb") as f:
        raw = bytearray(f.read())
    for _ in range(data.draw(st.integers(0, 4))):
        if raw:
            raw[data.draw(st.integers(0, len(raw) - 1))] = data.draw(st.integers(0, 255))
    cut = data.draw(st.integers(0, len(raw)))
    with open(prefix + which, "wb") as f:
        f.write(bytes(raw[:cut]))
    _read_all(prefix)


@settings(max_examples=100, deadline=2000)
@given(st.binary(max_size=120), st.binary(max_size=40))
def test_arbitrary_files(index, data):
    with tempfile.TemporaryDirectory() as folder:
        _write_and_read(os.path.join(folder, "y"), index, data)


def _write_and_read(prefix, index, data):
    with open(prefix + ".idx", "wb") as f:
        f.write(b"MMIDIDX\x00\x00" + index if index[:1] == b"\x01" else index)
    with open(prefix + ".bin", "wb") as f:
        f.write(data)
    _read_all(prefix)
