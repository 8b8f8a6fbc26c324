"""``EMA``: an exponential moving average of the weights, kept beside training
(``--store-ema``, ``--ema-decay``).

Every ``--ema-update-freq`` updates ``ema = decay * ema + (1 - decay) * weights``, in
float32 (from the master weights under ``--fp16``/``--bf16``); before
``--ema-start-update`` the average is a copy of the weights (fairseq's schedule).
Checkpoints store it under ``ema`` as a model state dict; ``seqx generate --use-ema``
decodes with it.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import torch
from torch import Tensor

from seqx.errors import SeqxError


class EMA:
    """The moving average of ``names``' tensors."""

    def __init__(
        self,
        names: Sequence[str],
        values: Sequence[Tensor],
        decay: float,
        start_update: int = 0,
        update_freq: int = 1,
    ) -> None:
        if not 0.0 < decay < 1.0:
            raise ValueError(f"--ema-decay must be between 0 and 1, got {decay}")
        self.names = list(names)
        self.decay = decay
        self.start_update, self.update_freq = start_update, update_freq
        self.average = [v.detach().to(torch.float32).clone() for v in values]

    def after_update(self, num_updates: int, values: Sequence[Tensor]) -> None:
        """Follow the weights after update ``num_updates`` (counted from 1): every
        ``update_freq``-th update, a copy before ``start_update``, then an average step.

        The turn is read from ``num_updates``, so a resumed run moves on the updates an
        uninterrupted one does."""
        if num_updates % self.update_freq:
            return
        if num_updates < self.start_update:
            self.reset(values)
        else:
            self.step(values)

    @torch.no_grad()
    def step(self, values: Sequence[Tensor]) -> None:
        """Move the average towards ``values`` (the weights after an update)."""
        current = [v.detach().to(torch.float32) for v in values]
        torch._foreach_lerp_(self.average, current, 1.0 - self.decay)

    @torch.no_grad()
    def reset(self, values: Sequence[Tensor]) -> None:
        """Start the average afresh at ``values`` (before ``--ema-start-update``)."""
        for a, v in zip(self.average, values):
            a.copy_(v.detach().to(torch.float32))

    def state_dict(self, model_state: dict[str, Any]) -> dict[str, Any]:
        """``model_state`` with the averaged parameters in place of the current ones."""
        state = dict(model_state)
        for name, value in zip(self.names, self.average):
            state[name] = value.clone()
        return state

    def load_state_dict(self, state: dict[str, Any], source: str = "the checkpoint") -> None:
        """Take the average from ``state`` (a model state dict), its shapes checked."""
        for i, name in enumerate(self.names):
            if name in state and state[name].shape != self.average[i].shape:
                raise SeqxError(
                    f"the moving average in {source} does not fit this model: '{name}' is "
                    f"{tuple(state[name].shape)}, the model's {tuple(self.average[i].shape)}"
                )
            if name in state:
                self.average[i] = state[name].detach().to(torch.float32).clone()
