import pytest
import torch

from seqx.models import IncrementalDecoder, autocast_dtype
from seqx.testing.tiny import tiny_dictionary


class Cached(IncrementalDecoder):
    """A decoder with one per-beam cache and one per-sentence cache."""

    def sentence_cache_keys(self):
        return {"source"}


def test_beam_group_checks_that_rows_are_whole_sentences():
    dec = Cached(tiny_dictionary())
    assert dec.beam_group(7) == 1
    dec.set_beam_size(3)
    assert dec.beam_group(6) == 3
    with pytest.raises(ValueError, match="not whole sentences of 3 beams"):
        dec.beam_group(7)


def test_per_sentence_caches_follow_their_sentences():
    dec = Cached(tiny_dictionary())
    dec.set_beam_size(2)
    state = {
        "step": {"h": torch.arange(6.0).unsqueeze(1)},  # 3 sentences x 2 beams
        "source": {"enc": torch.tensor([[10.0], [11.0], [12.0]])},  # one row per sentence
    }
    dec.reorder_incremental_state(state, torch.tensor([1, 1, 2, 3, 5, 5]))  # within sentences
    assert state["source"]["enc"].flatten().tolist() == [10.0, 11.0, 12.0]
    dec.reorder_incremental_state(state, torch.tensor([3, 2]))  # sentence 0 leaves
    assert state["source"]["enc"].flatten().tolist() == [11.0]
    assert state["step"]["h"].flatten().tolist() == [3.0, 2.0]


def test_autocast_dtype_follows_the_autocast_context():
    assert autocast_dtype("cpu") is None
    with torch.autocast("cpu", dtype=torch.bfloat16):
        assert autocast_dtype("cpu") == torch.bfloat16
