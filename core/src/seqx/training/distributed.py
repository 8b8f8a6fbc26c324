"""Several training processes over torch.distributed: ranks, the process group, reductions.

The ranks come from torchrun (``RANK``, ``WORLD_SIZE``, ``LOCAL_RANK``,
``MASTER_ADDR``/``MASTER_PORT``) or from SLURM (``SLURM_PROCID``,
``SLURM_NTASKS``, ``SLURM_LOCALID`` and the job's first node as the
rendezvous host). ``seqx train --nproc-per-node N`` starts torchrun itself.
"""

from __future__ import annotations

import contextlib
import datetime
import os
import subprocess
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

import torch
import torch.distributed as dist

from seqx.errors import SeqxError
from seqx.training.config import DistributedConfig


@dataclass(frozen=True)
class Ranks:
    """Where this process stands among the training processes."""

    rank: int
    """This process's rank (0 logs and writes checkpoints)."""
    world_size: int
    """How many processes train together."""
    local_rank: int
    """This process's index on its machine (its GPU on CUDA)."""

    @property
    def is_master(self) -> bool:
        return self.rank == 0


def _slurm_environment(port: int) -> dict[str, str] | None:
    """torchrun's variables derived from a SLURM job step of several tasks, if in one."""
    env = os.environ
    if "WORLD_SIZE" in env or int(env.get("SLURM_NTASKS", "1")) <= 1:
        return None
    nodes = env.get("SLURM_STEP_NODELIST") or env.get("SLURM_JOB_NODELIST", "")
    try:
        hosts = subprocess.run(
            ["scontrol", "show", "hostnames", nodes], capture_output=True, text=True, check=True
        ).stdout.split()
    except (OSError, subprocess.CalledProcessError) as exc:
        raise SeqxError(f"cannot read SLURM's node list '{nodes}' with scontrol ({exc})") from None
    return {
        "RANK": env["SLURM_PROCID"],
        "WORLD_SIZE": env["SLURM_NTASKS"],
        "LOCAL_RANK": env.get("SLURM_LOCALID", "0"),
        "MASTER_ADDR": hosts[0] if hosts else "127.0.0.1",
        "MASTER_PORT": str(port),
    }


def current_ranks() -> Ranks:
    """The ranks the launcher gave this process (a single process when none)."""
    env = os.environ
    return Ranks(
        rank=int(env.get("RANK", "0")),
        world_size=int(env.get("WORLD_SIZE", "1")),
        local_rank=int(env.get("LOCAL_RANK", "0")),
    )


def init_distributed(cfg: DistributedConfig, cpu: bool) -> tuple[Ranks, torch.device]:
    """Join the process group the launcher set up; the ranks and this rank's device."""
    if cfg.ddp_backend == "fully_sharded":
        raise SeqxError(
            "--ddp-backend fully_sharded (FSDP) is not available in seqx yet; use "
            "--ddp-backend pytorch_ddp (the default), whose gradients are the same"
        )
    slurm = _slurm_environment(cfg.distributed_port)
    if slurm is not None:
        os.environ.update(slurm)
    ranks = current_ranks()
    expected = cfg.distributed_world_size
    if expected is not None and expected != ranks.world_size:
        raise SeqxError(
            f"--distributed-world-size is {expected} but the launcher started "
            f"{ranks.world_size} process(es); make them agree (torchrun --nproc-per-node, "
            "srun --ntasks) or leave --distributed-world-size out"
        )
    use_cuda = torch.cuda.is_available() and not cpu
    device = torch.device("cuda", ranks.local_rank) if use_cuda else torch.device("cpu")
    if ranks.world_size == 1:
        return ranks, device
    backend = cfg.distributed_backend
    if backend == "auto":
        backend = "nccl" if use_cuda else "gloo"
    if backend == "nccl" and not use_cuda:
        raise SeqxError("--distributed-backend nccl needs CUDA; use gloo on CPU")
    if use_cuda:
        torch.cuda.set_device(device)
    if not dist.is_initialized():
        dist.init_process_group(
            backend,
            init_method="env://",
            timeout=datetime.timedelta(seconds=cfg.distributed_timeout),
        )
    return ranks, device


def all_reduce_sum(values: Sequence[float], device: torch.device) -> list[float]:
    """The sums over every rank of ``values`` (float64; one collective)."""
    if not dist.is_initialized() or dist.get_world_size() == 1:
        return [float(v) for v in values]
    buf = torch.tensor([float(v) for v in values], dtype=torch.float64, device=device)
    dist.all_reduce(buf)
    return buf.tolist()


def all_reduce_dict(sums: dict[str, Any], device: torch.device) -> dict[str, float]:
    """``sums`` (the same keys on every rank) summed over the ranks."""
    keys = sorted(sums)
    totals = all_reduce_sum([float(sums[k]) for k in keys], device)
    return dict(zip(keys, totals))


def strip_option(argv: Sequence[str], flag: str) -> list[str]:
    """``argv`` without ``flag VALUE`` / ``flag=VALUE``."""
    out: list[str] = []
    skip = False
    for arg in argv:
        if skip:
            skip = False
        elif arg == flag:
            skip = True
        elif not arg.startswith(flag + "="):
            out.append(arg)
    return out


class DistributedModel(torch.nn.Module):
    """DistributedDataParallel around a model, which still answers as the model does.

    Calls go through DDP's forward (gradients are averaged over the ranks in
    the backward pass); other attributes (``get_normalized_probs``,
    ``decoder``, ``set_num_updates``) are the wrapped model's, so that
    criterions and tasks need not know they run distributed.
    """

    def __init__(
        self, model: torch.nn.Module, device: torch.device, find_unused_parameters: bool = False
    ) -> None:
        super().__init__()
        from torch.nn.parallel import DistributedDataParallel

        ids = [device.index] if device.type == "cuda" else None
        self.ddp = DistributedDataParallel(
            model,
            device_ids=ids,
            forward_sync_buffers=False,
            find_unused_parameters=find_unused_parameters,
        )

    @property
    def wrapped_model(self) -> torch.nn.Module:
        return self.ddp.module

    def forward(self, *args: Any, **kwargs: Any) -> Any:
        return self.ddp(*args, **kwargs)

    def no_sync(self) -> Any:
        """Accumulate gradients locally (the batches of an update before its last)."""
        return self.ddp.no_sync()

    def __getattr__(self, name: str) -> Any:
        try:
            return super().__getattr__(name)
        except AttributeError:
            return getattr(self.ddp.module, name)


@contextlib.contextmanager
def peers_lost(ranks: Ranks, last_checkpoint: Callable[[], str | None]) -> Iterator[None]:
    """Under torch.distributed, a collective that fails because another rank died ends
    this rank with a message (naming ``last_checkpoint()``) instead of a traceback."""
    try:
        yield
    except (dist.DistError, RuntimeError) as exc:
        text = str(exc)
        lost = isinstance(exc, dist.DistError) or any(
            word in text for word in ("Gloo", "gloo", "NCCL", "Connection closed", "peer")
        )
        if ranks.world_size == 1 or not lost:
            raise
        raise SeqxError(
            f"rank {ranks.rank}: another training process stopped "
            f"({text.splitlines()[0] if text else type(exc).__name__}); stopping too. "
            f"The last checkpoint is {last_checkpoint() or 'not written yet'}"
        ) from None
