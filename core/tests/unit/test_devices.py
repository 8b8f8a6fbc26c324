import torch

from seqx.devices import autocast, autocast_dtype, move_to


def test_autocast_dtype_follows_the_autocast_context():
    assert autocast_dtype("cpu") is None
    with torch.autocast("cpu", dtype=torch.bfloat16):
        assert autocast_dtype("cpu") == torch.bfloat16


def test_amp_autocast_is_bfloat16_on_cpu_and_off_without_the_flag():
    with autocast(torch.device("cpu"), enabled=True):
        assert autocast_dtype("cpu") == torch.bfloat16
    with autocast(torch.device("cpu"), enabled=False):
        assert autocast_dtype("cpu") is None


def test_move_to_follows_dicts_and_lists():
    sample = {"a": [torch.ones(1)], "b": 3}
    moved = move_to(sample, torch.device("cpu"))
    assert moved["b"] == 3 and torch.equal(moved["a"][0], torch.ones(1))
