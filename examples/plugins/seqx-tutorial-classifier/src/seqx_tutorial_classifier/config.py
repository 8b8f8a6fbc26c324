"""The tutorial's options, as config dataclasses (light module)."""

from dataclasses import dataclass, field


@dataclass(kw_only=True)
class SimpleClassificationConfig:
    """Options of the ``simple_classification`` task."""

    data: str = field(metadata={"positional": True})
    """The data folder made by seqx preprocess --dataset-impl raw."""
    max_positions: int = 1024
    """Longest input accepted, in characters."""


@dataclass(kw_only=True)
class RNNClassifierConfig:
    """Options of the ``rnn_classifier`` model."""

    hidden_dim: int = 128
    """Dimensionality of the RNN's hidden state."""
