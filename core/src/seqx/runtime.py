"""Process-wide settings of the CPU kernels that seqx's commands apply before running.

oneDNN (``ONEDNN_PRIMITIVE_CACHE_CAPACITY``) and its C++ wrapper ideep
(``LRU_CACHE_CAPACITY``) keep a compiled kernel for every distinct matrix
shape they have seen, 1024 of each by default. bfloat16 matrix multiplies
(``--amp`` on CPU) go through them, and batches of variable-length
sentences give nearly every batch new shapes, so both caches fill with
kernels that are never used again: hundreds of MiB over a few dozen updates
of a small Transformer. A small capacity keeps the kernels of the shapes
in use and bounds that memory; the speed is unchanged.

glibc's allocator serves every block above 32 MiB with a fresh ``mmap`` and
unmaps it on free. Training allocates tensors of that size at every step
(the logits of a batch: 4,000 tokens x 8,000 words in float32 is 128 MiB),
so the kernel zero-fills their pages again each time: about five million
page faults over 60 updates, a tenth to a fifth of the training time on a
2-core CPU. Keeping freed memory in the process (``keep_freed_memory``)
serves them from memory already mapped; the peak memory stays within a few
percent.
"""

from __future__ import annotations

import os

KERNEL_CACHE_VARIABLES = ("ONEDNN_PRIMITIVE_CACHE_CAPACITY", "LRU_CACHE_CAPACITY")
"""The environment variables that size oneDNN's and ideep's kernel caches."""

DEFAULT_KERNEL_CACHE_CAPACITY = 16
"""The capacity seqx gives both caches when the environment does not set one."""


def bound_kernel_caches(capacity: int = DEFAULT_KERNEL_CACHE_CAPACITY) -> None:
    """Cap oneDNN's and ideep's kernel caches at ``capacity`` unless already set.

    The libraries read the variables when they first build a kernel, so this
    must run before the first matrix multiply of the process; a value the
    user exported is kept.
    """
    for name in KERNEL_CACHE_VARIABLES:
        os.environ.setdefault(name, str(capacity))


MALLOC_VARIABLES = ("MALLOC_MMAP_MAX_", "MALLOC_TRIM_THRESHOLD_", "MALLOC_MMAP_THRESHOLD_")
"""glibc's own allocator settings: when the environment sets one, seqx leaves the allocator
as configured."""

_M_TRIM_THRESHOLD = -1
_M_MMAP_MAX = -4
_TRIM_THRESHOLD = 2**31 - 1  # the largest value mallopt takes


def keep_freed_memory() -> bool:
    """Have glibc keep freed memory for reuse instead of returning it to the system.

    Large blocks come from the heap rather than from one ``mmap`` each, and the heap is
    not trimmed below 2 GiB of free space. A no-op (returning False) off glibc, or when
    the environment configures glibc's allocator itself (``MALLOC_MMAP_MAX_`` and
    friends, or ``GLIBC_TUNABLES``).
    """
    try:  # cheap: no subprocess, no reading of the interpreter's binary
        libc_version = os.confstr("CS_GNU_LIBC_VERSION") or ""
    except (ValueError, OSError, AttributeError):
        return False
    if not libc_version.startswith("glibc"):
        return False
    if any(name in os.environ for name in (*MALLOC_VARIABLES, "GLIBC_TUNABLES")):
        return False
    import ctypes

    try:
        libc = ctypes.CDLL(None)  # the process's own symbols, glibc's among them
        return bool(
            libc.mallopt(_M_MMAP_MAX, 0) and libc.mallopt(_M_TRIM_THRESHOLD, _TRIM_THRESHOLD)
        )
    except (OSError, AttributeError):
        return False
