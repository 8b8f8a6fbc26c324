import os

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
