"""Options of seqx-optim's components, with fairseq's names (light module)."""

from dataclasses import dataclass
from typing import Annotated

from seqx.config.ranges import Range


@dataclass(kw_only=True)
class AdamConfig:
    """Options of Adam."""

    adam_betas: tuple[float, float] = (0.9, 0.999)
    """Betas of Adam, e.g. '(0.9, 0.98)'."""
    adam_eps: Annotated[float, Range(gt=0)] = 1e-8
    """Epsilon of Adam."""
    weight_decay: Annotated[float, Range(ge=0)] = 0.0
    """Decoupled weight decay (AdamW)."""


@dataclass(kw_only=True)
class SGDConfig:
    """Options of SGD."""

    momentum: Annotated[float, Range(ge=0)] = 0.0
    """Momentum factor."""
    weight_decay: Annotated[float, Range(ge=0)] = 0.0
    """Weight decay (L2 penalty)."""


@dataclass(kw_only=True)
class NAGConfig:
    """Options of NAG."""

    momentum: Annotated[float, Range(ge=0)] = 0.99
    """Momentum factor."""
    weight_decay: Annotated[float, Range(ge=0)] = 0.0
    """Weight decay."""


@dataclass(kw_only=True)
class FixedConfig:
    """Options of the fixed schedule."""

    force_anneal: int | None = None
    """From this epoch on, shrink the learning rate every epoch by --lr-shrink."""
    lr_shrink: Annotated[float, Range(gt=0)] = 0.1
    """Shrink factor of annealing."""
    warmup_updates: Annotated[int, Range(ge=0)] = 0
    """Raise the learning rate linearly over the first N updates."""


@dataclass(kw_only=True)
class InverseSqrtConfig:
    """Options of the inverse square root schedule."""

    warmup_updates: Annotated[int, Range(ge=0)] = 4000
    """Raise the learning rate linearly over the first N updates."""
    warmup_init_lr: float = -1.0
    """Learning rate at the start of warmup (default: 0, or --lr without warmup)."""
