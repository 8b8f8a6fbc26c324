"""Run the ``seqx`` command line in-process against an isolated plugin set."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Literal

import pytest

from seqx.cli.main import main


@dataclass(kw_only=True)
class ToyModelConfig:
    encoder_embed_dim: int = 512
    """Encoder embedding dimension."""
    encoder_layers: int = 6
    """Number of encoder layers."""
    share_all_embeddings: bool = False
    """Share all embeddings."""
    activation_fn: Literal["relu", "gelu"] = "relu"
    """Activation function."""


@dataclass(kw_only=True)
class ToyOptimizerConfig:
    adam_betas: tuple[float, float] = (0.9, 0.999)
    """Betas for Adam."""
    weight_decay: float = 0.0
    """Weight decay."""


@dataclass(kw_only=True)
class ToyTaskConfig:
    data: str = field(metadata={"positional": True})
    """Path to the data folder."""
    left_pad_source: bool = True
    """Pad the source on the left."""


class Toy:
    pass


def register_toys(r) -> None:
    r.model("toy", ":Toy", config=":ToyModelConfig", help="A toy model.")
    r.arch("toy_big", model="toy", defaults={"encoder_embed_dim": 1024, "encoder_layers": 12})
    r.arch("toy_bigger", base="toy_big", defaults={"share_all_embeddings": True})
    r.optimizer("toy_adam", ":Toy", config=":ToyOptimizerConfig", help="A toy optimizer.")
    r.task("toy_task", ":Toy", config=":ToyTaskConfig", help="A toy task.")
    r.criterion("toy_loss", ":Toy", help="A toy loss.")
    r.lr_scheduler("toy_fixed", ":Toy", help="A toy schedule.")
    r.dataset_format("toy_raw", ":Toy", help="A toy format.")


TRAIN = [
    "train",
    "--task",
    "toy_task",
    "--criterion",
    "toy_loss",
    "--lr-scheduler",
    "toy_fixed",
    "--dataset-impl",
    "toy_raw",
    "--optimizer",
    "toy_adam",
]


@pytest.fixture
def toys(seqx_plugins):
    seqx_plugins.register(register_toys, name="toys")
    return seqx_plugins


@pytest.fixture
def seqx(capsys, monkeypatch) -> Callable[..., tuple[int, str, str]]:
    """``seqx(*args)`` -> (exit code, stdout, stderr), help rendered 100 columns wide."""
    monkeypatch.setenv("COLUMNS", "100")

    def run(*args: str) -> tuple[int, str, str]:
        code = 0
        try:
            main(list(args))
        except SystemExit as exc:
            code = exc.code if isinstance(exc.code, int) else 1
        out, err = capsys.readouterr()
        return code, out, err

    return run
