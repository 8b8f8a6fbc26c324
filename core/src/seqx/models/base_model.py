"""``BaseModel``: the interface every seqx model implements (fairseq's method names)."""

from __future__ import annotations

from typing import Any

import torch
from torch import Tensor, nn


class BaseModel(nn.Module):
    """A model built from its typed config and the task (``build_model``)."""

    @classmethod
    def build_model(cls, cfg: Any, task: Any) -> BaseModel:
        """Build a model from its config dataclass ``cfg`` and the ``task``."""
        raise NotImplementedError(f"{cls.__name__} must implement build_model(cfg, task)")

    def get_normalized_probs(
        self, net_output: tuple[Tensor, Any], log_probs: bool, sample: Any = None
    ) -> Tensor:
        """(Log-)probabilities over the vocabulary from ``net_output``'s logits."""
        logits = net_output[0].float()
        if log_probs:
            return torch.log_softmax(logits, dim=-1)
        return torch.softmax(logits, dim=-1)

    def max_positions(self) -> int | tuple[int, ...] | None:
        """The longest input the model accepts (None: no limit)."""
        return None

    def upgrade_state_dict(self, state_dict: dict[str, Tensor]) -> dict[str, Tensor]:
        """Migrate a state dict saved by an older version of this model."""
        return state_dict
