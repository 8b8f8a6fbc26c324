"""``DynamicLossScaler``: fairseq's loss scaling for float16 training.

The loss is multiplied by ``scale`` before the backward pass so that small
gradients survive float16. An overflow (a non-finite gradient) skips the
update and divides the scale by 2; ``scale_window`` updates without one
double it again. ``tolerance`` is the share of overflowing updates since the
last change that is accepted before lowering the scale.
"""

from __future__ import annotations

from typing import Any

from seqx.errors import SeqxError


class LossScaleTooLow(SeqxError):
    """The loss scale fell below ``--min-loss-scale``: training keeps overflowing."""


class DynamicLossScaler:
    """The scale of the loss, doubled after quiet windows and halved on overflows."""

    def __init__(
        self,
        init_scale: float = 2.0**7,
        scale_window: int = 2000,
        tolerance: float = 0.0,
        threshold: float | None = None,
        min_loss_scale: float = 1e-4,
        scale_factor: float = 2.0,
    ) -> None:
        self.scale = float(init_scale)
        self.scale_window = scale_window
        self.tolerance = tolerance
        self.threshold = threshold
        self.min_loss_scale = min_loss_scale
        self.scale_factor = scale_factor
        self.iter = 0
        self.last_overflow_iter = -1
        self.last_rescale_iter = -1
        self.overflows_since_rescale = 0

    def update(self) -> None:
        """After an update without overflow: grow the scale at the end of a quiet window."""
        if (self.iter - self.last_overflow_iter) % self.scale_window == 0:
            self.scale *= self.scale_factor
            self.last_rescale_iter = self.iter
        self.iter += 1

    def overflow(self) -> None:
        """After an overflow: lower the scale (within the tolerance); raise when too low."""
        since_rescale = self.iter - self.last_rescale_iter
        self.last_overflow_iter = self.iter
        self.overflows_since_rescale += 1
        if self.overflows_since_rescale / max(since_rescale, 1) >= self.tolerance:
            self.scale /= self.scale_factor
            if self.threshold is not None:
                self.scale = max(self.scale, self.threshold)
            self.last_rescale_iter = self.iter
            self.overflows_since_rescale = 0
        self.iter += 1
        if self.scale < self.min_loss_scale:
            raise LossScaleTooLow(
                f"the loss scale fell to {self.scale:g}, below --min-loss-scale "
                f"{self.min_loss_scale:g}: the gradients overflow at every scale"
            )

    def state_dict(self) -> dict[str, Any]:
        return {
            "scale": self.scale,
            "iter": self.iter,
            "last_overflow_iter": self.last_overflow_iter,
            "last_rescale_iter": self.last_rescale_iter,
            "overflows_since_rescale": self.overflows_since_rescale,
        }

    def load_state_dict(self, state: dict[str, Any]) -> None:
        self.scale = float(state["scale"])
        self.iter = int(state["iter"])
        self.last_overflow_iter = int(state["last_overflow_iter"])
        self.last_rescale_iter = int(state["last_rescale_iter"])
        self.overflows_since_rescale = int(state["overflows_since_rescale"])
