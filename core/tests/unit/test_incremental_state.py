import pytest
import torch

from seqx.models import BeamCache, IncrementalDecoder, IncrementalState, SentenceCache
from seqx.models.incremental_state import encoder_cache, sentence_group
from seqx.testing.tiny import tiny_dictionary


def _state():
    """3 sentences of 2 beams: a per-hypothesis and a per-sentence cache."""
    state = IncrementalState(beam_size=2, group=2)
    state["step"] = BeamCache(h=torch.arange(6.0).unsqueeze(1))
    state["source"] = SentenceCache(enc=torch.tensor([[10.0], [11.0], [12.0]]))
    return state


def test_sentence_group_checks_that_rows_are_whole_sentences():
    state = IncrementalState(beam_size=3)
    assert sentence_group(state, 7) == 1  # the first step: one row per sentence
    state.reorder(torch.arange(2).repeat_interleave(3))
    assert state.group == 3 and sentence_group(state, 6) == 3
    with pytest.raises(ValueError, match="not whole sentences of 3"):
        sentence_group(state, 7)


def test_per_sentence_caches_follow_their_sentences():
    state = _state()
    state.reorder(torch.tensor([1, 1, 2, 3, 5, 5]))  # within sentences: no copy
    source = state["source"]["enc"]
    assert source.flatten().tolist() == [10.0, 11.0, 12.0]
    state.reorder(torch.tensor([3, 2]))  # sentence 0 and 2 leave
    assert state["source"]["enc"].flatten().tolist() == [11.0]
    assert state["step"]["h"].flatten().tolist() == [3.0, 2.0]


def test_the_last_sentences_leaving_shrink_the_sentence_caches():
    state = _state()
    state.reorder(torch.tensor([1, 0, 3, 3]))  # sentences 0 and 1 stay in place, 2 leaves
    assert state["source"]["enc"].flatten().tolist() == [10.0, 11.0]
    assert state["step"]["h"].flatten().tolist() == [1.0, 0.0, 3.0, 3.0]


def test_expanding_the_first_step_to_the_beams():
    state = IncrementalState(beam_size=2)
    state["step"] = BeamCache(h=torch.tensor([[1.0], [2.0]]))
    encoder_cache(state, "source", {"enc": torch.tensor([[10.0], [11.0]]), "mask": None})
    state.reorder(torch.tensor([0, 0, 1, 1]))
    assert state.group == 2
    assert state["step"]["h"].flatten().tolist() == [1.0, 1.0, 2.0, 2.0]
    assert state["source"]["enc"].flatten().tolist() == [10.0, 11.0]
    assert state["source"]["mask"] is None


def test_encoder_cache_keeps_one_row_per_sentence_in_the_autocast_dtype():
    state = IncrementalState(beam_size=2, group=2)
    enc = torch.arange(8.0).view(4, 2)  # 2 sentences x 2 beams
    mask = torch.tensor([[False], [False], [True], [True]])
    with torch.autocast("cpu", dtype=torch.bfloat16):
        kept = encoder_cache(state, "enc", {"out": enc, "mask": mask})
    assert kept["out"].dtype == torch.bfloat16 and kept["mask"].dtype == torch.bool
    assert kept["out"].tolist() == [[0.0, 1.0], [4.0, 5.0]]
    assert encoder_cache(state, "enc", {"out": enc * 0, "mask": mask}) is kept  # made once


def test_a_reorder_out_of_range_is_an_error():
    state = _state()
    with pytest.raises(IndexError, match="the batch has 6 rows"):
        state.reorder(torch.tensor([0, 7]))
    with pytest.raises(ValueError, match="not whole sentences of 2 beams"):
        state.reorder(torch.tensor([0, 1, 2]))


def test_the_default_reorder_of_a_plain_dict_state():
    """fairseq-style decoders keep plain dicts of batch-first tensors."""
    dec = IncrementalDecoder(tiny_dictionary())
    state = {"layer": {"h": torch.arange(3.0)}}
    dec.reorder_incremental_state(state, torch.tensor([2, 2, 0]))
    assert state["layer"]["h"].tolist() == [2.0, 2.0, 0.0]
    with pytest.raises(IndexError):
        dec.reorder_incremental_state(state, torch.tensor([5]))
