import subprocess

import pytest
import torch

from seqx.errors import SeqxError
from seqx.training import distributed
from seqx.training.config import DistributedConfig


def test_slurm_job_step_gives_the_ranks(monkeypatch):
    for name in ("WORLD_SIZE", "RANK", "LOCAL_RANK", "MASTER_ADDR", "MASTER_PORT"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("SLURM_NTASKS", "4")
    monkeypatch.setenv("SLURM_PROCID", "3")
    monkeypatch.setenv("SLURM_LOCALID", "1")
    monkeypatch.setenv("SLURM_JOB_NODELIST", "gpu[07-08]")
    calls = []

    def scontrol(cmd, **kwargs):
        calls.append(cmd)
        return subprocess.CompletedProcess(cmd, 0, stdout="gpu07\ngpu08\n", stderr="")

    monkeypatch.setattr(distributed.subprocess, "run", scontrol)
    env = distributed._slurm_environment(29511)
    assert calls == [["scontrol", "show", "hostnames", "gpu[07-08]"]]
    assert env == {
        "RANK": "3",
        "WORLD_SIZE": "4",
        "LOCAL_RANK": "1",
        "MASTER_ADDR": "gpu07",
        "MASTER_PORT": "29511",
    }


def test_torchrun_variables_win_over_slurm(monkeypatch):
    monkeypatch.setenv("WORLD_SIZE", "2")
    monkeypatch.setenv("SLURM_NTASKS", "4")
    assert distributed._slurm_environment(1) is None


def test_a_single_process_needs_no_process_group(monkeypatch):
    for name in ("WORLD_SIZE", "RANK", "LOCAL_RANK", "SLURM_NTASKS"):
        monkeypatch.delenv(name, raising=False)
    ranks, device = distributed.init_distributed(DistributedConfig(), cpu=True)
    assert (ranks.rank, ranks.world_size, ranks.is_master) == (0, 1, True)
    assert device == torch.device("cpu") and not torch.distributed.is_initialized()
    with pytest.raises(SeqxError, match="--distributed-world-size is 2 but the launcher started 1"):
        distributed.init_distributed(DistributedConfig(distributed_world_size=2), cpu=True)


def test_strip_option():
    argv = ["train", "d", "--nproc-per-node", "2", "--lr", "1", "--nproc-per-node=3"]
    assert distributed.strip_option(argv, "--nproc-per-node") == ["train", "d", "--lr", "1"]
