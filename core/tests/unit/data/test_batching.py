import numpy as np
import pytest

from seqx.data.batching import batch_by_size, filter_by_size
from seqx.errors import SeqxError


def _reference(indices, sizes, max_tokens, max_sentences, mult):
    """A per-sentence loop with fairseq's rule, to compare against."""
    batches, batch, longest = [], [], 0
    max_sentences = max_sentences or len(indices)
    for idx, size in zip(indices, sizes):
        new_longest = max(longest, size)
        if batch and (new_longest * (len(batch) + 1) > max_tokens or len(batch) == max_sentences):
            keep = (
                max(mult * (len(batch) // mult), len(batch) % mult)
                if len(batch) > mult
                else len(batch)
            )
            batches.append(batch[:keep])
            batch = batch[keep:]
            longest = max((sizes[list(indices).index(i)] for i in batch), default=0)
            new_longest = max(longest, size)
        batch.append(idx)
        longest = new_longest
    if batch:
        batches.append(batch)
    return batches


def test_batches_respect_max_tokens_and_multiple():
    rng = np.random.default_rng(0)
    sizes = np.sort(rng.integers(3, 40, size=500))
    indices = np.arange(500)
    batches = batch_by_size(indices, sizes, max_tokens=256, required_batch_size_multiple=8)
    assert np.concatenate(batches).tolist() == indices.tolist()
    for b in batches:
        assert sizes[b].max() * len(b) <= 256
    assert all(len(b) % 8 == 0 for b in batches[:-1] if len(b) >= 8)


def test_batches_match_a_per_sentence_loop():
    rng = np.random.default_rng(1)
    sizes = rng.integers(1, 30, size=300)
    indices = np.argsort(sizes, kind="mergesort")
    got = batch_by_size(indices, sizes[indices], max_tokens=100, required_batch_size_multiple=1)
    want = _reference(indices.tolist(), sizes[indices].tolist(), 100, None, 1)
    assert [b.tolist() for b in got] == want


def test_max_sentences_only():
    batches = batch_by_size(np.arange(10), np.ones(10), max_sentences=4)
    assert [len(b) for b in batches] == [4, 4, 2]


def test_example_longer_than_max_tokens_is_named():
    with pytest.raises(SeqxError, match="example 7 has 50 tokens, more than --max-tokens 40"):
        batch_by_size(np.array([3, 7]), np.array([10, 50]), max_tokens=40)


def test_filter_by_size_skips_or_names_the_example():
    sizes = np.array([[3, 4], [9, 2], [2, 12]])
    kept, ignored = filter_by_size(np.arange(3), sizes, (8, 10), skip=True)
    assert kept.tolist() == [0] and ignored.tolist() == [1, 2]
    with pytest.raises(SeqxError, match=r"train example 1 has size \(9, 2\).*--skip-invalid"):
        filter_by_size(
            np.arange(3), sizes, (8, 10), skip=False, describe=lambda i: f"train example {i}"
        )
