import os

import pytest
import torch

from seqx.generation.parallel import fork_available, map_in_workers

pytestmark = pytest.mark.skipif(not fork_available(), reason="needs fork")


def _where(index: int) -> tuple[int, int, int]:
    return index, os.getpid(), torch.get_num_threads()


def test_results_come_in_order_from_one_thread_workers():
    results = list(map_in_workers(_where, 9, workers=2))
    assert [r[0] for r in results] == list(range(9))
    pids = {r[1] for r in results}
    assert os.getpid() not in pids and 1 <= len(pids) <= 2
    assert {r[2] for r in results} == {1}


def test_one_worker_runs_here():
    assert {r[1] for r in map_in_workers(_where, 3, workers=1)} == {os.getpid()}


def test_workers_see_the_parents_data_without_pickling_it():
    data = [torch.full((2,), float(i)) for i in range(4)]
    unpicklable = lambda: None  # noqa: E731 - a closure cannot be sent to a worker

    def job(index: int) -> float:
        assert unpicklable() is None
        return float(data[index].sum())

    assert list(map_in_workers(job, 4, workers=2)) == [0.0, 2.0, 4.0, 6.0]


def _fail(index: int) -> int:
    if index == 2:
        raise ValueError("batch 2 is bad")
    return index


def test_an_error_in_a_worker_reaches_the_caller():
    with pytest.raises(ValueError, match="batch 2 is bad"):
        list(map_in_workers(_fail, 4, workers=2))


def test_handed_out_in_the_given_order_and_yielded_in_index_order():
    results = list(map_in_workers(_where, 6, workers=2, order=[5, 4, 3, 2, 1, 0]))
    assert [r[0] for r in results] == list(range(6))
    with pytest.raises(ValueError, match="each of 0..2 once"):
        list(map_in_workers(_where, 3, workers=2, order=[0, 0, 1]))
