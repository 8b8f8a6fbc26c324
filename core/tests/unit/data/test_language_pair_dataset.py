import numpy as np
import torch

from seqx.data.collate import collate_tokens
from seqx.data.dictionary import Dictionary
from seqx.data.language_pair_dataset import LanguagePairDataset


def test_collate_tokens_left_right_and_shift():
    a, b = torch.tensor([5, 6, 2]), torch.tensor([7, 2])
    assert collate_tokens([a, b], 1).tolist() == [[5, 6, 2], [7, 2, 1]]
    assert collate_tokens([a, b], 1, left_pad=True).tolist() == [[5, 6, 2], [1, 7, 2]]
    shifted = collate_tokens([a, b], 1, eos_idx=2, move_eos_to_beginning=True)
    assert shifted.tolist() == [[2, 5, 6], [2, 7, 1]]
    assert collate_tokens([b], 1, pad_to_multiple=4).tolist() == [[7, 2, 1, 1]]


def _dataset(**kw):
    d = Dictionary()
    for w in ["a", "b", "c", "d", "e"]:
        d.add_symbol(w)
    src = [torch.tensor(x) for x in ([4, 2], [4, 5, 6, 2], [7, 8, 2])]
    tgt = [torch.tensor(x) for x in ([5, 2], [6, 2], [4, 4, 4, 2])]
    sizes = lambda xs: np.array([len(x) for x in xs])  # noqa: E731
    return LanguagePairDataset(src, sizes(src), d, tgt, sizes(tgt), d, **kw)


def test_batch_layout_matches_fairseq():
    ds = _dataset()
    batch = ds.collater([ds[0], ds[1], ds[2]])
    assert batch["id"].tolist() == [1, 2, 0]  # longest source first
    assert batch["nsentences"] == 3 and batch["ntokens"] == 8
    net = batch["net_input"]
    assert net["src_tokens"].tolist() == [[4, 5, 6, 2], [1, 7, 8, 2], [1, 1, 4, 2]]
    assert net["src_lengths"].tolist() == [4, 3, 2]
    assert batch["target"].tolist() == [[6, 2, 1, 1], [4, 4, 4, 2], [5, 2, 1, 1]]
    assert net["prev_output_tokens"].tolist() == [[2, 6, 1, 1], [2, 4, 4, 4], [2, 5, 1, 1]]


def test_sizes_and_ordering():
    ds = _dataset(shuffle=False)
    assert ds.num_tokens(2) == 4 and ds.size(1) == (4, 2)
    assert ds.num_tokens_vec(np.array([0, 1, 2])).tolist() == [2, 4, 4]
    assert ds.ordered_indices().tolist() == [0, 2, 1]  # by source length, then target
    assert sorted(_dataset().ordered_indices().tolist()) == [0, 1, 2]


def test_generation_batches_without_target():
    ds = _dataset()
    ds.tgt = None
    ds.tgt_sizes = None
    batch = ds.collater([ds[0], ds[2]])
    assert "target" not in batch and "prev_output_tokens" not in batch["net_input"]
    assert batch["ntokens"] == 5
