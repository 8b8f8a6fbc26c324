import numpy as np
import pytest
import torch

from seqx.data.dictionary import Dictionary
from seqx.data.monolingual_dataset import MonolingualDataset
from seqx.data.token_block_dataset import TokenBlockDataset, block_slices
from seqx.errors import SeqxError

EOS = 2


def _sentences(lengths):
    """Sentences of the given lengths (eos included); token values count up from 10."""
    out, nxt = [], 10
    for n in lengths:
        s = torch.arange(nxt, nxt + n - 1)
        out.append(torch.cat([s, torch.tensor([EOS])]))
        nxt += n - 1
    return out


def _stream(sentences):
    return torch.cat(sentences)


def test_none_mode_cuts_fixed_blocks_across_sentences():
    sents = _sentences([3, 4, 2])
    ds = TokenBlockDataset(sents, np.array([3, 4, 2]), block_size=4, eos=EOS, break_mode="none")
    stream = _stream(sents)
    assert ds.sizes.tolist() == [4, 4, 1]
    targets = [ds[i][1] for i in range(len(ds))]
    assert torch.equal(torch.cat(targets), stream)
    # the source is the stream shifted right by one, eos first
    sources = torch.cat([ds[i][0] for i in range(len(ds))])
    assert torch.equal(sources, torch.cat([torch.tensor([EOS]), stream[:-1]]))


def test_complete_mode_packs_whole_sentences():
    assert block_slices(np.array([3, 4, 2, 6, 1]), 6, "complete").tolist() == [
        [0, 3],
        [3, 9],
        [9, 15],
        [15, 16],
    ]
    # a sentence longer than the block is a block of its own
    assert block_slices(np.array([2, 9, 2]), 4, "complete").tolist() == [[0, 2], [2, 11], [11, 13]]


def test_complete_doc_mode_never_crosses_an_empty_line():
    # sizes 1 are empty lines (eos alone): document boundaries, dropped
    assert block_slices(np.array([2, 2, 1, 2, 1, 3]), 10, "complete_doc").tolist() == [
        [0, 4],
        [5, 7],
        [8, 11],
    ]


def test_eos_mode_is_one_sentence_per_block():
    sents = _sentences([3, 4])
    ds = TokenBlockDataset(sents, np.array([3, 4]), block_size=2, eos=EOS, break_mode="eos")
    assert ds.sizes.tolist() == [3, 4]
    source, target = ds[1]
    assert torch.equal(target, sents[1])
    assert int(source[0]) == EOS and torch.equal(source[1:], sents[1][:-1])


def test_bad_break_mode_and_block_size_are_errors():
    with pytest.raises(SeqxError, match="--sample-break-mode"):
        block_slices(np.array([2]), 4, "sentences")
    with pytest.raises(SeqxError, match="--tokens-per-sample"):
        block_slices(np.array([2]), 0, "none")


def test_monolingual_batch_is_right_padded_with_targets():
    d = Dictionary()
    for w in "abcdefghijklmnop":
        d.add_symbol(w)
    sents = [torch.tensor([5, 6, d.eos()]), torch.tensor([7, d.eos()])]
    blocks = TokenBlockDataset(sents, np.array([3, 2]), 10, d.eos(), "eos")
    ds = MonolingualDataset(blocks, blocks.sizes, d)
    batch = ds.collater([ds[0], ds[1]])
    assert batch["ntokens"] == 5 and batch["nsentences"] == 2
    assert batch["net_input"]["src_tokens"].tolist() == [[d.eos(), 5, 6], [d.eos(), 7, d.pad()]]
    assert batch["target"].tolist() == [[5, 6, d.eos()], [7, d.eos(), d.pad()]]
    assert batch["net_input"]["src_lengths"].tolist() == [3, 2]
