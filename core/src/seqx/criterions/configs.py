"""Options of the built-in criterions (light module)."""

from __future__ import annotations

from dataclasses import dataclass

from seqx.errors import ConfigError


@dataclass(kw_only=True)
class CrossEntropyConfig:
    """Options of cross_entropy."""

    sentence_avg: bool = False
    """Normalize the loss by sentences instead of tokens."""
    report_accuracy: bool = False
    """Log the token accuracy."""


@dataclass(kw_only=True)
class AdaptiveLossConfig:
    """Options of adaptive_loss."""

    sentence_avg: bool = False
    """Normalize the loss by sentences instead of tokens."""


@dataclass(kw_only=True)
class LabelSmoothedCrossEntropyConfig:
    """Options of label_smoothed_cross_entropy."""

    label_smoothing: float = 0.0
    """Epsilon: the share of probability mass spread over the other tokens."""
    sentence_avg: bool = False
    """Normalize the loss by sentences instead of tokens."""
    report_accuracy: bool = False
    """Log the token accuracy."""
    ignore_prefix_size: int = 0
    """Ignore the first N target tokens (e.g. a language tag)."""

    def __post_init__(self) -> None:
        if not 0.0 <= self.label_smoothing < 1.0:
            raise ConfigError(f"--label-smoothing must be in [0, 1), got {self.label_smoothing}")
