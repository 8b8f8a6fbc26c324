"""How a run computes, chosen once: float32, autocast (``--amp``), or a half-precision model
with float32 master weights (``--fp16``/``--bf16``).

The trainer calls a :class:`Precision` at the few points where precision matters: casting
the model, wrapping the optimizer, the forward pass's autocast context, a non-finite
gradient, the loss scale it logs, and which weights checkpoints and the moving average
hold. Everything else is the same for all three.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Sequence
from typing import Any, TypeVar

import torch
from torch import Tensor, nn

from seqx.devices import amp_dtype
from seqx.errors import SeqxError
from seqx.optim.grad_scaled import GradScaledOptimizer
from seqx.optim.loss_scaler import DynamicLossScaler
from seqx.optim.mixed_precision import MixedPrecisionOptimizer
from seqx.optim.optimizer import Optimizer
from seqx.training.config import CommonConfig

M = TypeVar("M", bound=nn.Module)

BuildOptimizer = Callable[[list[Tensor]], Optimizer]
"""Builds the configured optimizer over the parameters it is given."""


class Precision:
    """Float32 throughout (no flag)."""

    name = "float32"

    def prepare_model(self, model: M) -> M:
        """The model as it trains (cast to the training dtype)."""
        return model

    def build_optimizer(self, model: nn.Module, build: BuildOptimizer) -> Any:
        """The optimizer the trainer steps, over ``model``'s parameters."""
        return build(list(model.parameters()))

    def autocast(self) -> contextlib.AbstractContextManager[Any]:
        """The context of forward and loss computations."""
        return contextlib.nullcontext()

    def overflow(self, optimizer: Any, update: int) -> str | None:
        """A non-finite gradient norm at ``update``. When this precision handles it (the
        update skipped, the loss scale lowered): a line to log ("" for none). None leaves
        it to the trainer's NaN/inf accounting. Raises ``LossScaleTooLow`` when the loss
        scale cannot go lower."""
        return None

    def loss_scale(self, optimizer: Any) -> float | None:
        """The loss scale to log, if any."""
        return None

    def trained_weights(self, model: nn.Module, optimizer: Any) -> list[Tensor]:
        """The weights training updates, in the order of the trainable parameters."""
        return [p for p in model.parameters() if p.requires_grad]

    def model_state_dict(self, model: nn.Module, optimizer: Any) -> dict[str, Any]:
        """The model's state as checkpoints hold it."""
        return model.state_dict()

    def load_weights(self, optimizer: Any, weights: Sequence[Tensor]) -> None:
        """After the model loaded a checkpoint: ``weights`` are its trainable parameters."""


class Autocast(Precision):
    """``--amp``: float32 weights, autocast to bfloat16 (CPU) or float16 with torch's
    gradient scaler (CUDA)."""

    name = "amp"

    def __init__(self, device: torch.device) -> None:
        self.device = device
        self.dtype = amp_dtype(device)

    def build_optimizer(self, model: nn.Module, build: BuildOptimizer) -> Any:
        inner = build(list(model.parameters()))
        if self.dtype != torch.float16:
            return inner
        return GradScaledOptimizer(inner, torch.amp.GradScaler(self.device.type))

    def autocast(self) -> contextlib.AbstractContextManager[Any]:
        return torch.autocast(self.device.type, dtype=self.dtype)

    def overflow(self, optimizer: Any, update: int) -> str | None:
        if not isinstance(optimizer, GradScaledOptimizer):
            return None
        optimizer.step()  # the scaler skips the update and lowers the scale, silently
        return ""

    def loss_scale(self, optimizer: Any) -> float | None:
        return optimizer.loss_scale() if isinstance(optimizer, GradScaledOptimizer) else None


class HalfPrecision(Precision):
    """``--fp16``/``--bf16``: a half-precision model stepped through float32 master weights,
    with fairseq's dynamic loss scale for float16."""

    def __init__(self, dtype: torch.dtype, loss_scaler: DynamicLossScaler | None) -> None:
        self.dtype = dtype
        self.loss_scaler = loss_scaler
        self.name = "fp16" if dtype == torch.float16 else "bf16"

    def prepare_model(self, model: M) -> M:
        return model.to(self.dtype)

    def build_optimizer(self, model: nn.Module, build: BuildOptimizer) -> Any:
        return MixedPrecisionOptimizer(list(model.parameters()), build, self.loss_scaler)

    def overflow(self, optimizer: Any, update: int) -> str | None:
        if self.loss_scaler is None:
            return None
        optimizer.overflow()
        return (
            f"overflow at update {update}: the update is skipped and the loss scale lowered "
            f"to {self.loss_scaler.scale:g}"
        )

    def loss_scale(self, optimizer: Any) -> float | None:
        return self.loss_scaler.scale if self.loss_scaler is not None else None

    def trained_weights(self, model: nn.Module, optimizer: Any) -> list[Tensor]:
        return list(optimizer.master_values())

    def model_state_dict(self, model: nn.Module, optimizer: Any) -> dict[str, Any]:
        """Float32: the master weights, and every other half tensor cast up."""
        state = model.state_dict()
        names = [name for name, p in model.named_parameters() if p.requires_grad]
        for name, value in zip(names, optimizer.master_values()):
            state[name] = value.detach().clone()
        return {
            k: v.float() if torch.is_tensor(v) and v.dtype == self.dtype else v
            for k, v in state.items()
        }

    def load_weights(self, optimizer: Any, weights: Sequence[Tensor]) -> None:
        optimizer.load_master(weights)  # the exact float32 weights, not the rounded ones


def choose_precision(
    common: CommonConfig, device: torch.device, world_size: int, update_freq: int
) -> Precision:
    """The precision ``--amp``, ``--fp16`` or ``--bf16`` asks for (float32 without them);
    fairseq's ``--memory-efficient-fp16/-bf16`` imply ``--fp16/--bf16``."""
    fp16 = common.fp16 or common.memory_efficient_fp16
    bf16 = common.bf16 or common.memory_efficient_bf16
    if sum([common.amp, fp16, bf16]) > 1:
        raise SeqxError("choose one of --amp, --fp16 and --bf16")
    if common.amp:
        return Autocast(device)
    if bf16:
        return HalfPrecision(torch.bfloat16, None)
    if fp16:
        return HalfPrecision(torch.float16, _loss_scaler(common, world_size, update_freq))
    return Precision()


def precision_notes(common: CommonConfig) -> list[str]:
    """What a run is told of the precision flags seqx takes in another sense."""
    return [
        f"{flag} trains as {as_}: the same updates, with float32 master weights"
        for flag, on, as_ in (
            ("--memory-efficient-fp16", common.memory_efficient_fp16, "--fp16"),
            ("--memory-efficient-bf16", common.memory_efficient_bf16, "--bf16"),
        )
        if on
    ]


def _loss_scaler(common: CommonConfig, world_size: int, update_freq: int) -> DynamicLossScaler:
    window = common.fp16_scale_window
    if window is None:
        window = max(1, int(2**14 / world_size / update_freq))
    return DynamicLossScaler(
        init_scale=common.fp16_init_scale,
        scale_window=window,
        tolerance=common.fp16_scale_tolerance,
        threshold=common.threshold_loss_scale,
        min_loss_scale=common.min_loss_scale,
    )
