import pytest
import torch
from torch import nn

from seqx.inference.packed_linear import PackedLinear, pack_linear_layers_, packed_linear_available
from seqx.models import TiedLinear


class TinyTiedModel(nn.Module):
    """An embedding, a linear layer and the embedding shared as output projection."""

    def __init__(self) -> None:
        super().__init__()
        self.embed = nn.Embedding(50, 16)
        self.hidden = nn.Linear(16, 16)
        self.out = TiedLinear(self.embed)

    def forward(self, tokens: torch.Tensor) -> torch.Tensor:
        return self.out(torch.relu(self.hidden(self.embed(tokens))))


def test_tied_linear_shares_the_weight_and_adds_no_state():
    model = TinyTiedModel()
    assert model.out.weight is model.embed.weight
    assert sorted(model.state_dict()) == ["embed.weight", "hidden.bias", "hidden.weight"]
    x = torch.randn(3, 16)
    torch.testing.assert_close(model.out(x), x @ model.embed.weight.t())


needs_packing = pytest.mark.skipif(
    not packed_linear_available(), reason="no oneDNN bfloat16 on this build or CPU"
)


@needs_packing
def test_packed_layers_give_autocasts_numbers():
    torch.manual_seed(0)
    model = TinyTiedModel().eval()
    tokens = torch.randint(0, 50, (4, 7))
    with torch.no_grad(), torch.autocast("cpu", dtype=torch.bfloat16):
        expected = model(tokens)
        assert pack_linear_layers_(model) == 2
        assert isinstance(model.hidden, PackedLinear) and isinstance(model.out, PackedLinear)
        got = model(tokens)
    assert got.dtype == torch.bfloat16 and got.shape == (4, 7, 50)
    torch.testing.assert_close(got, expected, atol=0, rtol=0)


@needs_packing
def test_packing_is_for_inference_only():
    model = TinyTiedModel()
    with pytest.raises(ValueError, match="evaluation mode"):
        pack_linear_layers_(model)
    model.eval()
    pack_linear_layers_(model)
    with pytest.raises(RuntimeError, match="no gradient"):
        model.hidden(torch.randn(2, 16, requires_grad=True))
