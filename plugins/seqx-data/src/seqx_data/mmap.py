"""The ``mmap`` format: fairseq's memory-mapped ``.bin``/``.idx`` (see the README).

The index is written exactly as fairseq 0.12 writes it. Two layouts are read: fairseq's
(header, sizes, pointers) and the one seqx 0.1 wrote, which added a document count to the
header and a document index after the pointers; the file's length tells them apart.
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

MAGIC = b"MMIDIDX\x00\x00"
VERSION = 1
CODE_TO_DTYPE: dict[int, type] = {
    1: np.uint8,
    2: np.int8,
    3: np.int16,
    4: np.int32,
    5: np.int64,
    6: np.float64,
    7: np.float64,
    8: np.uint16,
    9: np.uint32,
    10: np.uint64,
}
DTYPE_TO_CODE = {np.dtype(v): k for k, v in reversed(CODE_TO_DTYPE.items())}


def best_fitting_dtype(vocab_size: int | None) -> type:
    """The dtype fairseq 0.12 chooses for a vocabulary of ``vocab_size``."""
    if vocab_size is None:
        return np.uint32
    if vocab_size < 65500:
        return np.uint16
    return np.uint32 if vocab_size < 4294967295 else np.int64


def index_file(prefix: str) -> str:
    return prefix + ".idx"


def data_file(prefix: str) -> str:
    return prefix + ".bin"


HEADER = 26
"""Bytes before the sizes in fairseq's layout: magic, version, dtype code, count."""


def _read_index(path: str) -> tuple[np.dtype, np.ndarray, np.ndarray]:
    """The dtype, sizes and pointers of the index at ``path`` (either layout)."""
    try:
        buffer = np.memmap(path, mode="r", order="C")
    except (OSError, ValueError) as exc:
        raise SeqxError(f"cannot read index '{path}': {exc}") from None
    header = bytes(buffer[:HEADER])
    if len(header) < HEADER or header[:9] != MAGIC:
        raise SeqxError(
            f"'{path}' is not an mmap index (bad magic); was it written with another "
            "--dataset-impl?"
        )
    (version,) = struct.unpack("<Q", header[9:17])
    if version != VERSION:
        raise SeqxError(f"'{path}': unsupported index version {version}")
    code = header[17]
    if code not in CODE_TO_DTYPE:
        raise SeqxError(f"'{path}': unknown dtype code {code}")
    (length,) = struct.unpack("<Q", header[18:26])
    offset = _sizes_offset(path, buffer, length)
    sizes = np.frombuffer(buffer, dtype=np.int32, count=length, offset=offset)
    pointers = np.frombuffer(buffer, dtype=np.int64, count=length, offset=offset + 4 * length)
    return np.dtype(CODE_TO_DTYPE[code]), sizes, pointers


def _sizes_offset(path: str, buffer: np.ndarray, length: int) -> int:
    """Where the sizes start: right after fairseq's header, or after the document count
    of seqx 0.1's layout (which ends with that many int64 document boundaries)."""
    fairseq_end = HEADER + 12 * length
    if len(buffer) == fairseq_end:
        return HEADER
    if len(buffer) >= HEADER + 8:
        (docs,) = struct.unpack("<Q", bytes(buffer[HEADER : HEADER + 8]))
        if len(buffer) == HEADER + 8 + 12 * length + 8 * docs:
            return HEADER + 8
    if len(buffer) < fairseq_end:
        raise SeqxError(f"'{path}' is truncated ({len(buffer)} of {fairseq_end} bytes)")
    raise SeqxError(
        f"'{path}' is corrupted: {len(buffer)} bytes do not hold an index of {length} "
        "sequences; run seqx preprocess again"
    )


def check_index(path: str, sizes: np.ndarray, pointers: np.ndarray, itemsize: int) -> int:
    """Refuse an index whose sizes and pointers do not describe consecutive sequences from
    the start of the data file (as every writer lays them out); returns the data size in
    bytes it implies."""
    if not len(sizes):
        return 0
    bad = np.flatnonzero(sizes < 0)
    if len(bad):
        raise SeqxError(
            f"'{path}' is corrupted: sequence {bad[0]} has size {sizes[bad[0]]}; run seqx "
            "preprocess again"
        )
    ends = np.cumsum(sizes.astype(np.int64) * itemsize)
    starts = np.concatenate(([0], ends[:-1]))
    bad = np.flatnonzero(pointers != starts)
    if len(bad):
        raise SeqxError(
            f"'{path}' is corrupted: sequence {bad[0]} starts at byte {pointers[bad[0]]}, "
            f"not {starts[bad[0]]}; run seqx preprocess again"
        )
    return int(ends[-1])


class MMapDataset:
    """A memory-mapped split: ``ds[i]`` is a LongTensor view-copy of sequence ``i``."""

    def __init__(self, prefix: str) -> None:
        self.prefix = prefix
        self.dtype, sizes, self.pointers = _read_index(index_file(prefix))
        self.sizes = sizes.astype(np.int64)
        path = data_file(prefix)
        try:
            size = os.path.getsize(path)
            self._data = np.memmap(path, mode="r", order="C") if size else np.zeros(0, np.uint8)
        except OSError as exc:
            raise SeqxError(f"cannot read data file '{path}': {exc}") from None
        end = check_index(index_file(prefix), sizes, self.pointers, self.dtype.itemsize)
        if end > size:
            raise SeqxError(f"'{path}' is truncated ({size} of {end} bytes)")

    def __len__(self) -> int:
        return len(self.sizes)

    def get_array(self, index: int) -> np.ndarray:
        """Sequence ``index`` as a numpy view of the mapped file."""
        if not 0 <= index < len(self.sizes):
            raise IndexError(f"index {index} out of range for {len(self.sizes)} sequences")
        return np.frombuffer(
            self._data,
            dtype=self.dtype,
            count=int(self.sizes[index]),
            offset=int(self.pointers[index]),
        )

    def __getitem__(self, index: int) -> Any:
        import torch

        return torch.from_numpy(self.get_array(int(index)).astype(np.int64))


class MMapWriter:
    """Writes ``PREFIX.bin`` as items arrive and ``PREFIX.idx`` on ``finalize``."""

    def __init__(self, prefix: str, dtype: type) -> None:
        self.prefix = prefix
        self.dtype = np.dtype(dtype)
        self._data = open(data_file(prefix), "wb")  # noqa: SIM115 - closed in finalize
        self._sizes: list[np.ndarray] = []

    def add_item(self, ids: np.ndarray) -> None:
        arr = np.asarray(ids, dtype=self.dtype)
        self._data.write(arr.tobytes(order="C"))
        self._sizes.append(np.array([arr.size], dtype=np.int32))

    def add_items(self, arrays: list[np.ndarray]) -> None:
        """Append many sequences at once."""
        if not arrays:
            return
        self._data.write(np.concatenate(arrays).astype(self.dtype, copy=False).tobytes())
        self._sizes.append(np.fromiter((a.size for a in arrays), dtype=np.int32))

    def merge_file_(self, prefix: str) -> None:
        dtype, sizes, _ = _read_index(index_file(prefix))
        if dtype != self.dtype:
            raise SeqxError(f"cannot merge '{prefix}': dtype {dtype} differs from {self.dtype}")
        self._sizes.append(np.array(sizes, dtype=np.int32))
        with open(data_file(prefix), "rb") as f:
            shutil.copyfileobj(f, self._data)

    def finalize(self) -> None:
        self._data.close()
        sizes = np.concatenate(self._sizes) if self._sizes else np.zeros(0, np.int32)
        pointers = np.zeros(len(sizes), dtype=np.int64)
        if len(sizes) > 1:
            np.cumsum(sizes[:-1].astype(np.int64) * self.dtype.itemsize, out=pointers[1:])
        with open(index_file(self.prefix), "wb") as f:
            f.write(MAGIC)
            f.write(struct.pack("<Q", VERSION))
            f.write(struct.pack("<B", DTYPE_TO_CODE[self.dtype]))
            f.write(struct.pack("<Q", len(sizes)))
            f.write(sizes.astype(np.int32).tobytes(order="C"))
            f.write(pointers.tobytes(order="C"))


class MMapFormat(DatasetFormat):
    """fairseq's ``mmap`` dataset implementation."""

    def files(self, prefix: str) -> list[str]:
        return [data_file(prefix), index_file(prefix)]

    def load(self, prefix: str, dictionary: Dictionary) -> MMapDataset:
        ds = MMapDataset(prefix)
        if len(ds.sizes):
            # a cheap check over the whole split: the largest id must fit the dictionary
            top = int(np.max(np.asarray(ds._data).view(ds.dtype))) if ds._data.size else 0
            if top >= len(dictionary):
                raise SeqxError(
                    f"'{data_file(prefix)}' holds token id {top}, but the dictionary has "
                    f"{len(dictionary)} symbols: the data and dict.*.txt do not belong together"
                )
        return ds

    def writer(self, prefix: str, vocab_size: int) -> MMapWriter:
        return MMapWriter(prefix, best_fitting_dtype(vocab_size))
