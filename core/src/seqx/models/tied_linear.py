"""``TiedLinear``: an output projection that shares another module's weight."""

from __future__ import annotations

import torch.nn.functional as F
from torch import Tensor, nn


class TiedLinear(nn.Module):
    """An output projection that reuses another module's ``weight`` (shared input and output
    embeddings) without registering it a second time: the state dict is unchanged."""

    def __init__(self, owner: nn.Module) -> None:
        super().__init__()
        self.__dict__["owner"] = owner  # not a submodule: its parameters stay where they are

    @property
    def weight(self) -> Tensor:
        owner: nn.Module = self.__dict__["owner"]
        weight = owner.weight
        assert isinstance(weight, Tensor)
        return weight

    @property
    def bias(self) -> Tensor | None:
        return None

    def forward(self, x: Tensor) -> Tensor:
        return F.linear(x, self.weight)
