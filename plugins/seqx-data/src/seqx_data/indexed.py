"""The ``lazy`` and ``cached`` formats: fairseq's older TorchNet ``.bin``/``.idx`` layout.

``PREFIX.idx`` is little-endian: magic ``TNTIDX\\x00\\x00``, version (uint64, 1), dtype
code and element size (uint64 each), the number of sequences N and of size entries S
(uint64 each), then N+1 dimension offsets, N+1 data offsets (in elements) and S sizes,
all int64. ``PREFIX.bin`` holds the ids plus one (a legacy of Lua's 1-based indexing),
as int32 when fairseq writes them. ``lazy`` maps the data file; ``cached`` reads it into
memory. Both read the same files, as in fairseq.
"""

from __future__ import annotations

import os
import shutil
import struct
from typing import Any

import numpy as np

from seqx.data.dataset_format import DatasetFormat
from seqx.data.dictionary import Dictionary
from seqx.errors import SeqxError
from seqx_data.mmap import CODE_TO_DTYPE, DTYPE_TO_CODE, data_file, index_file

MAGIC = b"TNTIDX\x00\x00"
HEADER = 48
"""Bytes before the offsets: magic, version, dtype code, element size, N, S."""


def _read_index(path: str) -> tuple[np.dtype, np.ndarray, np.ndarray]:
    """The dtype, sizes and data offsets (in elements) of the index at ``path``."""
    try:
        with open(path, "rb") as f:
            raw = f.read()
    except OSError as exc:
        raise SeqxError(f"cannot read index '{path}': {exc.strerror}") from None
    if raw[:8] != MAGIC:
        hint = " (an mmap index: use --dataset-impl mmap)" if raw[:7] == b"MMIDIDX" else ""
        raise SeqxError(f"'{path}' is not a lazy/cached index (bad magic){hint}")
    if len(raw) < HEADER:
        raise SeqxError(f"'{path}' is truncated ({len(raw)} of {HEADER} bytes)")
    version, code, element, n, s = struct.unpack("<QQQQQ", raw[8:HEADER])
    if version != 1:
        raise SeqxError(f"'{path}': unsupported index version {version}")
    if code not in CODE_TO_DTYPE or np.dtype(CODE_TO_DTYPE[code]).itemsize != element:
        raise SeqxError(f"'{path}': unknown dtype code {code} (element size {element})")
    expected = HEADER + 8 * (2 * (n + 1) + s)
    if len(raw) != expected:
        raise SeqxError(f"'{path}' is truncated or corrupted ({len(raw)} of {expected} bytes)")
    longs = np.frombuffer(raw, dtype="<i8", offset=HEADER)
    dims, offsets, sizes = longs[: n + 1], longs[n + 1 : 2 * n + 2], longs[2 * n + 2 :]
    if s != n or not np.array_equal(dims, np.arange(n + 1)):
        raise SeqxError(f"'{path}' holds tensors of more than one dimension, not token ids")
    if n and (offsets[0] != 0 or not np.array_equal(np.diff(offsets), sizes) or sizes.min() < 0):
        raise SeqxError(
            f"'{path}' is corrupted: its sizes and data offsets disagree; run seqx preprocess again"
        )
    return np.dtype(CODE_TO_DTYPE[code]), sizes.astype(np.int64), offsets.astype(np.int64)


class IndexedDataset:
    """A split in the TorchNet layout: ``ds[i]`` is a LongTensor of sequence ``i``'s ids."""

    def __init__(self, prefix: str, cached: bool) -> None:
        self.prefix = prefix
        self.dtype, self.sizes, self.offsets = _read_index(index_file(prefix))
        path = data_file(prefix)
        end = int(self.offsets[-1]) * self.dtype.itemsize
        try:
            size = os.path.getsize(path)
            if end > size:
                raise SeqxError(f"'{path}' is truncated ({size} of {end} bytes)")
            count = end // self.dtype.itemsize
            if cached or not end:
                self._data = np.fromfile(path, dtype=self.dtype, count=count)
            else:
                self._data = np.memmap(path, dtype=self.dtype, mode="r", shape=(count,))
        except OSError as exc:
            raise SeqxError(f"cannot read data file '{path}': {exc.strerror}") from None

    def __len__(self) -> int:
        return len(self.sizes)

    def __getitem__(self, index: int) -> Any:
        import torch

        index = int(index)
        if not 0 <= index < len(self.sizes):
            raise IndexError(f"index {index} out of range for {len(self.sizes)} sequences")
        start, end = int(self.offsets[index]), int(self.offsets[index + 1])
        return torch.from_numpy(self._data[start:end].astype(np.int64) - 1)


class IndexedWriter:
    """Writes ``PREFIX.bin`` as items arrive and ``PREFIX.idx`` on ``finalize``, as
    fairseq's ``IndexedDatasetBuilder`` does (int32, ids plus one)."""

    def __init__(self, prefix: str, dtype: type = np.int32) -> None:
        self.prefix = prefix
        self.dtype = np.dtype(dtype)
        self._data = open(data_file(prefix), "wb")  # noqa: SIM115 - closed in finalize
        self._sizes: list[np.ndarray] = []

    def add_item(self, ids: np.ndarray) -> None:
        arr = np.asarray(ids, dtype=np.int64) + 1
        self._data.write(arr.astype(self.dtype).tobytes(order="C"))
        self._sizes.append(np.array([arr.size], dtype=np.int64))

    def merge_file_(self, prefix: str) -> None:
        dtype, sizes, _ = _read_index(index_file(prefix))
        if dtype != self.dtype:
            raise SeqxError(f"cannot merge '{prefix}': dtype {dtype} differs from {self.dtype}")
        self._sizes.append(sizes)
        with open(data_file(prefix), "rb") as f:
            shutil.copyfileobj(f, self._data)

    def finalize(self) -> None:
        self._data.close()
        sizes = np.concatenate(self._sizes) if self._sizes else np.zeros(0, np.int64)
        n = len(sizes)
        offsets = np.concatenate(([0], np.cumsum(sizes))).astype("<i8")
        with open(index_file(self.prefix), "wb") as f:
            f.write(MAGIC)
            f.write(struct.pack("<QQQQQ", 1, DTYPE_TO_CODE[self.dtype], self.dtype.itemsize, n, n))
            f.write(np.arange(n + 1, dtype="<i8").tobytes())
            f.write(offsets.tobytes())
            f.write(sizes.astype("<i8").tobytes())


class LazyFormat(DatasetFormat):
    """fairseq's ``lazy`` dataset implementation: the data file is mapped, not read."""

    cached = False

    def files(self, prefix: str) -> list[str]:
        return [data_file(prefix), index_file(prefix)]

    def load(self, prefix: str, dictionary: Dictionary) -> IndexedDataset:
        ds = IndexedDataset(prefix, self.cached)
        if ds._data.size:
            low, top = int(ds._data.min()) - 1, int(ds._data.max()) - 1
            if low < 0 or top >= len(dictionary):
                raise SeqxError(
                    f"'{data_file(prefix)}' holds token id {top if low >= 0 else low}, but the "
                    f"dictionary has {len(dictionary)} symbols: the data and dict.*.txt do not "
                    "belong together"
                )
        return ds

    def writer(self, prefix: str, vocab_size: int) -> IndexedWriter:
        return IndexedWriter(prefix)


class CachedFormat(LazyFormat):
    """fairseq's ``cached`` dataset implementation: the same files, read into memory."""

    cached = True
