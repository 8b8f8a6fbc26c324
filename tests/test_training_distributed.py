"""Two gloo processes on CPU train as one process with --update-freq 2 on the same batches."""

from pathlib import Path

import pytest
import torch

from seqx.testing.cli import run_seqx as seqx
from seqx.testing.cli import tiny_data_bin

FAULTS = Path(__file__).parent / "fault_plugins"  # criterions that fail on purpose

TRAIN = [
    "--arch",
    "transformer_tiny",
    "--encoder-embed-dim",
    "32",
    "--encoder-ffn-embed-dim",
    "64",
    "--dropout",
    "0",
    "--share-all-embeddings",
    "--optimizer",  # plain SGD: Adam would magnify float rounding in near-zero gradients
    "sgd",
    "--lr",
    "0.5",
    "--criterion",
    "label_smoothed_cross_entropy",
    "--label-smoothing",
    "0.1",
    "--batch-size",
    "8",
    "--num-workers",
    "0",
    "--log-format",
    "simple",
    "--log-interval",
    "1",
    "--seed",
    "3",
    "--max-update",
    "5",
]


@pytest.fixture(scope="module")
def data(tmp_path_factory):
    return tiny_data_bin(tmp_path_factory.mktemp("ddp"), train=200, valid=16, seed=6)


def test_two_ranks_equal_one_process_with_update_freq_2(data, tmp_path):
    two = seqx("train", data, *TRAIN, "--nproc-per-node", "2", "--save-dir", tmp_path / "two")
    one = seqx("train", data, *TRAIN, "--update-freq", "2", "--save-dir", tmp_path / "one")
    assert "(2 processes)" in two.stderr
    a = torch.load(tmp_path / "two" / "checkpoint_last.pt", weights_only=True)
    b = torch.load(tmp_path / "one" / "checkpoint_last.pt", weights_only=True)
    assert a["trainer"]["num_updates"] == b["trainer"]["num_updates"] == 5
    for key, value in b["model"].items():
        torch.testing.assert_close(a["model"][key], value, rtol=1e-4, atol=1e-5)

    def losses(log):
        return [
            line.split("loss=")[1].split(",")[0] for line in log.splitlines() if "loss=" in line
        ]

    assert losses(two.stderr) == losses(one.stderr)  # the stats are summed over the ranks
    assert two.stderr.count("num_updates=1,") == 1  # only rank 0 logs


def test_world_size_that_does_not_match(data, tmp_path):
    proc = seqx(
        "train",
        data,
        *TRAIN,
        "--distributed-world-size",
        "3",
        "--save-dir",
        tmp_path,
        check=False,
    )
    assert proc.returncode != 0
    assert "--distributed-world-size is 3 but the launcher started 1" in proc.stderr
    assert "Traceback" not in proc.stderr


def test_a_dying_rank_stops_the_others(data, tmp_path):
    proc = seqx(
        "train",
        data,
        "--plugin-dir",
        FAULTS,
        *TRAIN,
        "--max-update",
        "50",
        "--criterion",
        "dies_on_rank1",
        "--nproc-per-node",
        "2",
        "--distributed-timeout",
        "60",
        "--save-dir",
        tmp_path / "ck",
        check=False,
        timeout=300,  # a hang (the peers waiting forever) fails here
    )
    assert proc.returncode != 0
    assert "another training process stopped" in proc.stderr


def test_out_of_memory_on_one_rank_stops_every_rank(data, tmp_path):
    proc = seqx(
        "train",
        data,
        "--plugin-dir",
        FAULTS,
        *TRAIN,
        "--criterion",
        "oom_at",
        "--max-update",
        "20",
        "--nproc-per-node",
        "2",
        "--distributed-timeout",
        "60",
        "--save-dir",
        tmp_path / "ck",
        check=False,
        env={"OOM_RANK": "1"},
        timeout=300,  # a hang (the peers waiting forever) fails here
    )
    assert proc.returncode != 0
    assert "rank 1 ran out of memory on a batch" in proc.stderr
