"""ConcatDataset, ResamplingDataset, RoundRobinZipDatasets and TransformEosDataset, with
fairseq's index maps and draws written out by hand."""

import numpy as np
import pytest
import torch

from seqx.data import (
    ConcatDataset,
    LanguagePairDataset,
    ResamplingDataset,
    RoundRobinZipDatasets,
    TransformEosDataset,
)
from seqx.data.dictionary import Dictionary


class Tokens:
    """A token dataset: sequences and their sizes."""

    def __init__(self, seqs):
        self.seqs = [torch.tensor(s) for s in seqs]
        self.sizes = np.array([len(s) for s in seqs])

    def __getitem__(self, i):
        return self.seqs[i]

    def __len__(self):
        return len(self.seqs)


def dictionary():
    d = Dictionary()
    for w in "abcdef":
        d.add_symbol(w)
    return d


def pairs(src, tgt):
    d = dictionary()
    s, t = Tokens(src), Tokens(tgt)
    return LanguagePairDataset(s, s.sizes, d, t, t.sizes, d)


def test_concat_repeats_the_primary_part_in_order():
    a, b = Tokens([[4, 2], [5, 5, 2]]), Tokens([[6, 6, 6, 2]])
    ds = ConcatDataset([a, b], [3, 1])
    assert len(ds) == 7
    assert [ds[i].tolist()[0] for i in range(7)] == [4, 5, 4, 5, 4, 5, 6]
    assert ds.sizes.tolist() == [2, 3, 2, 3, 2, 3, 4]
    assert ds.locate(5) == (0, 1) and ds.locate(6) == (1, 0)
    assert ds.size(6) == 4 and ds.num_tokens(3) == 3
    with pytest.raises(ValueError, match="one whole number >= 1 per dataset"):
        ConcatDataset([a, b], [0, 1])


def test_concat_of_pair_datasets_batches_and_orders_like_fairseq():
    first = pairs([[4, 2], [4, 5, 6, 2]], [[5, 2], [6, 2]])
    second = pairs([[7, 2]], [[4, 4, 4, 2]])
    ds = ConcatDataset([first, second])
    assert ds.sizes.tolist() == [[2, 2], [4, 2], [2, 4]]
    # by target length, then (stable) by source length
    assert ds.ordered_indices().tolist() == [0, 2, 1]
    batch = ds.collater([ds[0], ds[2]])  # the first part's collater
    assert batch["net_input"]["src_tokens"].tolist() == [[4, 2], [7, 2]]
    assert ds.num_tokens_vec(np.array([1, 2])).tolist() == [4, 4]


def test_resampling_draws_fairseqs_sample_for_each_epoch():
    base = Tokens([[4, 2], [5, 5, 2], [6, 6, 6, 2], [7, 2]])
    ds = ResamplingDataset(base, size_ratio=1.5, seed=3)
    rng = np.random.RandomState([42, 3, 1])
    assert ds.indices.tolist() == rng.choice(4, 6, replace=True).tolist()
    assert len(ds) == 6 and not ds.can_reuse_epoch_itr_across_epochs
    first = ds.indices.tolist()
    ds.set_epoch(2)
    assert ds.indices.tolist() == np.random.RandomState([42, 3, 2]).choice(4, 6).tolist()
    ds.set_epoch(1)
    assert ds.indices.tolist() == first  # the same epoch draws the same sample
    assert ds.sizes.tolist() == base.sizes[ds.indices].tolist()
    order = ds.ordered_indices()
    assert np.all(np.diff(ds.sizes[order]) >= 0)


def test_resampling_with_weights_and_without_replacement():
    base = Tokens([[4, 2], [5, 2], [6, 2], [7, 2]])
    ds = ResamplingDataset(base, weights=[0, 0, 1, 0], seed=1)
    assert set(ds.indices.tolist()) == {2}
    ds = ResamplingDataset(base, replace=False, size_ratio=0.5, seed=1)
    assert len(set(ds.indices.tolist())) == 2
    with pytest.raises(ValueError, match="below 1 without replacement"):
        ResamplingDataset(base, replace=False, size_ratio=1.0)


def test_round_robin_repeats_the_shorter_dataset_and_collates_per_key():
    long = pairs([[4, 2], [4, 5, 2], [4, 5, 6, 2]], [[5, 2], [6, 2], [7, 2]])
    short = pairs([[8, 2]], [[9, 2]])
    zipped = RoundRobinZipDatasets({"de-en": long, "fr-en": short})
    zipped.ordered_indices()
    assert len(zipped) == 3
    examples = [zipped[i] for i in range(3)]
    assert [e["fr-en"]["source"].tolist() for e in examples] == [[8, 2]] * 3
    batch = zipped.collater(examples)
    assert list(batch) == ["de-en", "fr-en"] and batch["fr-en"]["nsentences"] == 3
    kept, ignored = zipped.filter_indices_by_size(
        np.arange(3), {"de-en": (3, 3), "fr-en": (3, 3)}, skip=True
    )
    assert len(ignored) == 1 and len(zipped) == 2  # de-en's 4-token source left out
    evaluation = RoundRobinZipDatasets({"de-en": long, "fr-en": short}, eval_key="fr-en")
    evaluation.ordered_indices()
    assert evaluation[0]["source"].tolist() == [8, 2]


def test_transform_eos_appends_and_removes_at_collation():
    ds = pairs([[4, 5, 2]], [[6, 7]])
    eos = ds.src_dict.eos()
    moved = TransformEosDataset(ds, eos, remove_eos_from_src=True, append_eos_to_tgt=True)
    batch = moved.collater([moved[0]])
    assert batch["net_input"]["src_tokens"].tolist() == [[4, 5]]
    assert batch["target"].tolist() == [[6, 7, eos]]
    assert moved.size(0) == (2, 3)
    wrong = TransformEosDataset(ds, eos, append_eos_to_src=True)
    with pytest.raises(ValueError, match="the source of example 0 ends with the eos"):
        wrong.collater([wrong[0]])
    with pytest.raises(ValueError, match="cannot both append"):
        TransformEosDataset(ds, eos, append_eos_to_tgt=True, remove_eos_from_tgt=True)
