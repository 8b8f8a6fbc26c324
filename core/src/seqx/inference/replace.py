"""Swapping a model's linear layers for faster ones, the one mechanism every converter uses."""

from __future__ import annotations

from collections.abc import Callable

from torch import Tensor, nn

from seqx.models.tied_linear import TiedLinear


def replace_linear_layers_(
    model: nn.Module, make: Callable[[Tensor, Tensor | None], nn.Module], what: str
) -> int:
    """Replace every ``nn.Linear`` and ``TiedLinear`` of ``model`` (in evaluation mode, on
    CPU) by ``make(weight, bias)``; returns how many. ``what`` names the operation in the
    error for a model still in training mode."""
    if model.training:
        raise ValueError(
            f"{what} the layers of a model in evaluation mode (prepare_for_inference_)"
        )
    count = 0
    for parent in list(model.modules()):
        for name, child in list(parent.named_children()):
            if isinstance(child, (nn.Linear, TiedLinear)) and child.weight.device.type == "cpu":
                setattr(parent, name, make(child.weight, child.bias))
                count += 1
    return count
