import os

import pytest

from seqx.runtime import KERNEL_CACHE_VARIABLES, bound_kernel_caches


def test_caps_unset_kernel_caches(monkeypatch):
    for name in KERNEL_CACHE_VARIABLES:
        monkeypatch.delenv(name, raising=False)
    bound_kernel_caches(8)
    assert [os.environ[name] for name in KERNEL_CACHE_VARIABLES] == ["8", "8"]


def test_keeps_a_capacity_the_user_set(monkeypatch):
    monkeypatch.setenv("LRU_CACHE_CAPACITY", "1024")
    monkeypatch.delenv("ONEDNN_PRIMITIVE_CACHE_CAPACITY", raising=False)
    bound_kernel_caches(16)
    assert os.environ["LRU_CACHE_CAPACITY"] == "1024"
    assert os.environ["ONEDNN_PRIMITIVE_CACHE_CAPACITY"] == "16"


_FAULTS = """
import resource, sys
import torch
from seqx.runtime import keep_freed_memory
applied = keep_freed_memory() if sys.argv[1] == "keep" else False
faults = []
for _ in range(16):  # a training step's large tensors: allocated, touched, freed
    before = resource.getrusage(resource.RUSAGE_SELF).ru_minflt
    logits = torch.empty(16 * 2**20).fill_(1.0)  # 64 MiB
    grad = torch.empty(16 * 2**20).fill_(2.0)
    del logits, grad
    faults.append(resource.getrusage(resource.RUSAGE_SELF).ru_minflt - before)
print(applied, sum(faults[8:]))  # once the allocator has settled
"""


def _page_faults(mode: str) -> tuple[str, int]:
    import subprocess
    import sys

    env = {k: v for k, v in os.environ.items() if not k.startswith(("MALLOC_", "GLIBC_TUNABLES"))}
    out = subprocess.run(
        [sys.executable, "-c", _FAULTS, mode], capture_output=True, text=True, env=env, check=True
    ).stdout.split()
    return out[0], int(out[1])


def test_freed_memory_is_reused_without_page_faults():
    if not (os.confstr("CS_GNU_LIBC_VERSION") or "").startswith("glibc"):
        pytest.skip("glibc's allocator only")
    applied, kept = _page_faults("keep")
    _, system = _page_faults("system")
    assert applied == "True"
    assert system > 200_000  # 8 steps x 2 x 16384 pages, each zero-filled again
    assert kept < system / 4


def test_leaves_an_allocator_the_environment_configures(monkeypatch):
    from seqx.runtime import keep_freed_memory

    monkeypatch.setenv("MALLOC_MMAP_MAX_", "65536")
    assert keep_freed_memory() is False
