"""Schedules in a training run: the epoch-end step sees the validation's
--best-checkpoint-metric, and --stop-min-lr ends the run as fairseq's does."""

import pytest

from seqx.testing.cli import run_seqx, tiny_data_bin

TINY = (
    "--arch", "transformer_tiny", "--encoder-embed-dim", "16", "--encoder-ffn-embed-dim",
    "32", "--optimizer", "sgd", "--max-tokens", "2000", "--num-workers", "0",
    "--log-format", "simple", "--no-save",
)  # fmt: skip


@pytest.fixture(scope="module")
def data(tmp_path_factory):
    return tiny_data_bin(tmp_path_factory.mktemp("sched"), train=40, valid=8, seed=3)


def _lrs(stderr: str) -> list[float]:
    """The learning rate of each epoch's train line."""
    return [
        float(line.split("| lr ")[1].split()[0])
        for line in stderr.splitlines()
        if line.startswith("epoch ") and "| lr " in line
    ]


def test_stop_min_lr_ends_the_run_before_an_epoch(data, tmp_path):
    proc = run_seqx(
        "train", data, *TINY, "--save-dir", tmp_path, "--lr", "0.01", "--lr-scheduler",
        "fixed", "--force-anneal", "1", "--lr-shrink", "0.1", "--stop-min-lr", "2e-4",
        "--max-epoch", "8",
    )  # fmt: skip
    assert "stopping: the learning rate 0.0001 is at or below --stop-min-lr 0.0002" in proc.stderr
    assert _lrs(proc.stderr) == pytest.approx([1e-3, 1e-4])


def test_plateau_shrinks_on_the_checkpoint_metric(data, tmp_path):
    proc = run_seqx(
        "train", data, *TINY, "--save-dir", tmp_path, "--lr", "1e-6",
        "--lr-scheduler", "reduce_lr_on_plateau", "--lr-shrink", "0.5", "--lr-threshold",
        "0.5", "--max-epoch", "4",
    )  # fmt: skip
    # a rate too small to move the loss by half: every validation after the first is a
    # plateau, so each shrinks the rate for the next epoch
    assert _lrs(proc.stderr) == pytest.approx([1e-6, 1e-6, 5e-7, 2.5e-7])
