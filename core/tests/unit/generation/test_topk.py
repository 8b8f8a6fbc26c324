import pytest
import torch

from seqx.generation.topk import topk


def _check(x: torch.Tensor, k: int, chunk: int) -> None:
    values, columns = topk(x, k, chunk=chunk)
    expected = x.topk(k, dim=1).values
    assert torch.equal(values, expected)
    assert torch.equal(x.gather(1, columns), values)  # the columns hold those values
    assert columns.unique(dim=1).size(1) == k or k == 1  # no column twice


@pytest.mark.parametrize("n", [4096, 4100, 40040])  # whole chunks, a tail, a beam's row
def test_same_values_as_torch(n: int) -> None:
    g = torch.Generator().manual_seed(n)
    _check(torch.randn(7, n, generator=g), k=10, chunk=128)


def test_best_values_crowded_in_one_chunk() -> None:
    x = torch.randn(3, 2000, generator=torch.Generator().manual_seed(0))
    x[:, 640:650] += 100  # the ten best all lie in chunk 5
    _check(x, k=10, chunk=128)
    assert set(topk(x, 10, chunk=128)[1][0].tolist()) == set(range(640, 650))


def test_best_values_in_the_tail() -> None:
    x = torch.randn(2, 1000, generator=torch.Generator().manual_seed(1))
    x[:, 990:] += 50  # 1000 = 7 chunks of 128 + a tail of 104
    _check(x, k=4, chunk=128)
    assert topk(x, 4, chunk=128)[1].min() >= 990


def test_rows_with_minus_infinity() -> None:
    x = torch.randn(4, 3000, generator=torch.Generator().manual_seed(2))
    x[:, 100:] = float("-inf")  # fewer finite values than chunks
    values, columns = topk(x, 10, chunk=64)
    assert torch.equal(values, x.topk(10, dim=1).values)
    assert columns.max() < 100


def test_strided_rows() -> None:
    x = torch.randn(6, 5, 3000, generator=torch.Generator().manual_seed(3))
    _check(x[:, 0, :], k=10, chunk=128)  # the first beam of each sentence, rows 15000 apart


def test_short_rows_fall_back() -> None:
    x = torch.randn(3, 50)
    _check(x, k=5, chunk=128)


def test_rejects_other_shapes() -> None:
    with pytest.raises(ValueError, match="2-D"):
        topk(torch.randn(2, 3, 4), 2)
