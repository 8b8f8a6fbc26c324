import numpy as np
import torch

from seqx.data.iterators import EpochBatchIterator, GroupedIterator, shard_batches


class _Range(torch.utils.data.Dataset):
    def __init__(self, n):
        self.n = n
        self.epochs = []

    def __len__(self):
        return self.n

    def __getitem__(self, i):
        return i

    def set_epoch(self, epoch):
        self.epochs.append(epoch)


def _collate(items):
    return list(items)


def _iterator(**kw):
    batches = [np.arange(i, i + 2) for i in range(0, 20, 2)]
    return EpochBatchIterator(_Range(20), _collate, batches, seed=7, **kw)


def test_shuffles_per_epoch_deterministically():
    a, b = _iterator(), _iterator()
    e1 = list(a.next_epoch_itr())
    e2 = list(a.next_epoch_itr())
    assert e1 == list(b.next_epoch_itr())
    assert e1 != e2 and sorted(map(tuple, e1)) == sorted(map(tuple, e2))
    assert a.epoch == 2 and a.dataset.epochs == [1, 2]


def test_resume_mid_epoch_continues_with_the_next_batch():
    full = _iterator()
    first = list(full.next_epoch_itr())
    run = _iterator()
    itr = run.next_epoch_itr()
    taken = [next(itr) for _ in range(4)]
    state = run.state_dict()
    assert state == {"epoch": 1, "iterations_in_epoch": 4, "shuffle": True}
    resumed = _iterator()
    resumed.load_state_dict(state)
    rest = list(resumed.next_epoch_itr())
    assert taken + rest == first
    assert resumed.end_of_epoch() and resumed.state_dict()["epoch"] == 2
    assert list(resumed.next_epoch_itr()) == list(full.next_epoch_itr())


def test_shards_have_equal_length_and_cover_everything():
    batches = [np.array([i]) for i in range(7)]
    shards = [shard_batches(batches, 3, r) for r in range(3)]
    assert {len(s) for s in shards} == {3}
    got = sorted(int(b[0]) for s in shards for b in s if len(b))
    assert got == list(range(7))
    it0, it1 = _iterator(num_shards=2, shard_id=0), _iterator(num_shards=2, shard_id=1)
    seen = [x for b in it0.next_epoch_itr() for x in b] + [
        x for b in it1.next_epoch_itr() for x in b
    ]
    assert sorted(seen) == list(range(20))


def test_workers_load_the_same_batches():
    assert list(_iterator(num_workers=2).next_epoch_itr()) == list(_iterator().next_epoch_itr())


def test_grouped_iterator():
    itr = _iterator(disable_shuffling=True).next_epoch_itr()
    groups = list(GroupedIterator(itr, 3))
    assert [len(g) for g in groups] == [3, 3, 3, 1]
