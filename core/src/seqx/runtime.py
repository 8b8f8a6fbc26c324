"""Process-wide settings of the CPU kernels that seqx's commands apply before running.

oneDNN (``ONEDNN_PRIMITIVE_CACHE_CAPACITY``) and its C++ wrapper ideep
(``LRU_CACHE_CAPACITY``) keep a compiled kernel for every distinct matrix
shape they have seen, 1024 of each by default. bfloat16 matrix multiplies
(``--amp`` on CPU) go through them, and batches of variable-length
sentences give nearly every batch new shapes, so both caches fill with
kernels that are never used again: hundreds of MiB over a few dozen updates
of a small Transformer. A small capacity keeps the kernels of the shapes
in use and bounds that memory; the speed is unchanged.
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
