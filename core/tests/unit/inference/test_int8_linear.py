import pytest
import torch
from torch import nn

from seqx.inference.int8_linear import (
    Int8Linear,
    input_levels,
    int8_linear_available,
    quantize_linear_layers_,
)

from .test_packed_linear import TinyTiedModel

pytestmark = pytest.mark.skipif(
    not int8_linear_available(), reason="no oneDNN quantized linear operators in this build"
)


def _integer_weight(rows: int, cols: int, seed: int) -> torch.Tensor:
    """Integers in [-127, 127] with 127 in every row: quantized without rounding."""
    g = torch.Generator().manual_seed(seed)
    w = torch.randint(-127, 128, (rows, cols), generator=g).float()
    w[:, 0] = 127
    return w


def test_exact_on_integers_that_quantize_without_rounding():
    w = _integer_weight(24, 16, seed=0)
    bias = torch.arange(24.0)
    layer = Int8Linear(w * 0.01, bias)
    # inputs spanning exactly [-64, levels - 64]: scale 1, zero point 64
    high = input_levels() - 64
    x = torch.randint(-64, high + 1, (5, 16), generator=torch.Generator().manual_seed(1)).float()
    x[0, 0], x[0, 1] = -64, high
    expected = x @ (w * 0.01).t() + bias
    torch.testing.assert_close(layer(x), expected, rtol=1e-5, atol=1e-4)


def test_extreme_inputs_do_not_saturate():
    """255 x 127 products summed in pairs overflow 16-bit integers on CPUs without VNNI:
    the largest inputs and weights must still multiply exactly."""
    w = torch.full((4, 64), 127.0)
    layer = Int8Linear(w / 127, None)
    x = torch.ones(2, 64)
    x[1] = 0.0
    torch.testing.assert_close(layer(x), torch.tensor([[64.0] * 4, [0.0] * 4]))


def test_close_to_float32_on_random_data():
    torch.manual_seed(0)
    linear = nn.Linear(64, 40)
    layer = Int8Linear(linear.weight, linear.bias)
    x = torch.randn(2, 7, 64)
    with torch.no_grad():
        expected = linear(x)
    got = layer(x)
    assert got.shape == (2, 7, 40) and got.dtype == torch.float32
    error = (got - expected).abs().max() / expected.abs().max()
    assert 0 < error < 0.03  # quantized (not exact), within a few percent of the range


def test_zero_input_gives_the_bias_and_one_row_works():
    layer = Int8Linear(torch.randn(8, 4), torch.full((8,), 0.5))
    torch.testing.assert_close(layer(torch.zeros(1, 4)), torch.full((1, 8), 0.5))


def test_output_follows_autocast():
    layer = Int8Linear(torch.randn(8, 4), None)
    x = torch.randn(3, 4)
    with torch.autocast("cpu", dtype=torch.bfloat16):
        assert layer(x).dtype == torch.bfloat16
        assert layer(x.bfloat16()).dtype == torch.bfloat16
    assert layer(x.bfloat16()).dtype == torch.float32


def test_inference_only():
    layer = Int8Linear(torch.randn(8, 4), None)
    with pytest.raises(RuntimeError, match="inference"):
        layer(torch.randn(2, 4, requires_grad=True))


def test_quantize_replaces_linear_and_tied_layers():
    torch.manual_seed(0)
    model = TinyTiedModel().eval()
    tokens = torch.randint(0, 50, (4, 6))
    with torch.no_grad():
        expected = model(tokens)
    assert quantize_linear_layers_(model) == 2
    assert isinstance(model.hidden, Int8Linear) and isinstance(model.out, Int8Linear)
    with torch.no_grad():
        got = model(tokens)
    assert (got - expected).abs().max() / expected.abs().max() < 0.05
    assert got.argmax(-1).eq(expected.argmax(-1)).float().mean() > 0.9


def test_quantize_refuses_a_model_in_training_mode():
    with pytest.raises(ValueError, match="evaluation mode"):
        quantize_linear_layers_(TinyTiedModel())


def test_int8_on_cuda_is_a_clear_error():
    from seqx.errors import SeqxError
    from seqx.inference.convert import check_int8

    with pytest.raises(SeqxError, match="--int8 runs on CPU"):
        check_int8(torch.device("cuda"))
    check_int8(torch.device("cpu"))
