"""``Trainer``: one update from ``--update-freq`` batches, and the state checkpoints hold.

The trainer is built from typed collaborators: the task, model, criterion, optimizer and
learning-rate schedule the run chose, the :class:`~seqx.training.precision.Precision` that
``--amp``/``--fp16``/``--bf16`` chose, and its own config section. It knows nothing of
epochs, validation or checkpoint files: the loop schedules those.
"""

from __future__ import annotations

import contextlib
import math
import time
from collections.abc import Callable
from typing import Any

import torch

from seqx.checkpoint import (
    check_dictionaries,
    dictionary_records,
    load_model_weights,
    read_checkpoint,
)
from seqx.criterions.criterion import Criterion
from seqx.devices import is_out_of_memory, move_to
from seqx.errors import SeqxError
from seqx.models.base_model import BaseModel
from seqx.optim.loss_scaler import LossScaleTooLow
from seqx.optim.lr_scheduler import LRScheduler
from seqx.rng import get_rng_state, set_rng_state
from seqx.tasks.task import Task
from seqx.training.config import OptimizationConfig
from seqx.training.distributed import DistributedModel, Ranks, all_reduce_dict, all_reduce_sum
from seqx.training.ema import EMA
from seqx.training.precision import Precision
from seqx.training.stats import StatsAccumulator


class Trainer:
    """Steps the model, criterion, optimizer and schedule of a run."""

    def __init__(
        self,
        cfg: OptimizationConfig,
        task: Task,
        model: BaseModel,
        criterion: Criterion,
        optimizer: Any,
        lr_scheduler: LRScheduler,
        precision: Precision,
        device: torch.device,
        ranks: Ranks | None = None,
        find_unused_parameters: bool = False,
    ) -> None:
        """``model`` is on ``device`` and prepared by ``precision``; ``optimizer`` is the one
        ``precision.build_optimizer`` made (an ``Optimizer`` or a precision wrapper of one);
        ``find_unused_parameters`` is DistributedDataParallel's, with several ranks."""
        self.cfg = cfg
        self.task = task
        self.model = model
        self.criterion = criterion.to(device)
        self.optimizer = optimizer
        self.lr_scheduler = lr_scheduler
        self.precision = precision
        self.device = device
        self.ranks = ranks or Ranks(rank=0, world_size=1, local_rank=0)
        self.train_model: torch.nn.Module = model
        if self.ranks.world_size > 1:
            self.train_model = DistributedModel(model, device, find_unused_parameters)
        self.ema: EMA | None = None
        if cfg.ema_decay > 0:
            self.ema = EMA(
                self._param_names(),
                self._weights(),
                cfg.ema_decay,
                cfg.ema_start_update,
                cfg.ema_update_freq,
            )
            if cfg.ema_seed_model:
                self.ema.load_state_dict(
                    self._seed_average(cfg.ema_seed_model),
                    f"--ema-seed-model '{cfg.ema_seed_model}'",
                )
        self._dummy: dict[str, Any] | None = None
        self.num_updates = 0
        self.nonfinite = 0
        self.ooms = 0
        self.nonfinite_in_a_row = 0
        self.last_checkpoint: str | None = None
        self.say: Callable[[str], None] = lambda line: None
        self.interval = StatsAccumulator()
        self.epoch_stats = StatsAccumulator()
        self.start_time = time.perf_counter()
        self.wall_offset = 0.0

    # -- stepping ----------------------------------------------------------------------

    def train_step(self, samples: list[dict[str, Any]]) -> None:
        """Forward/backward over ``samples`` (one update), then clip and step."""
        started = time.perf_counter()
        self.optimizer.zero_grad()
        done = self._forward_backward(samples)
        if done is None:
            return
        logs, sample_size = done
        world = self.ranks.world_size
        total: float = sample_size
        if world > 1:
            total = all_reduce_sum([float(sample_size)], self.device)[0]
        if total == 0:
            return
        self.optimizer.unscale_grads()
        # DDP averages the ranks' gradients; the sum over ranks is normalized by the
        # sample size of all of them
        self.optimizer.multiply_grads(world / float(total))
        gnorm = float(self.optimizer.clip_grad_norm(self.cfg.clip_norm))
        if not math.isfinite(gnorm):
            self._nonfinite_gradient(gnorm)
            return
        self.nonfinite_in_a_row = 0
        self.optimizer.step()
        self._after_update()
        self._count(logs, gnorm, time.perf_counter() - started)

    def _forward_backward(
        self, samples: list[dict[str, Any]]
    ) -> tuple[list[dict[str, Any]], int] | None:
        """The logging outputs and summed sample size of ``samples``' backward passes; None
        when a batch ran out of memory (the update is skipped)."""
        logs, sample_size = [], 0
        world = self.ranks.world_size
        for i, sample in enumerate(samples):
            ignore = not sample
            if ignore and world == 1:
                continue
            sample = self._dummy_batch() if ignore else move_to(sample, self.device)
            if self._dummy is None:
                self._dummy = sample
            is_last = i == len(samples) - 1
            sync = contextlib.nullcontext()
            if world > 1 and not is_last:
                sync = self.train_model.no_sync()  # type: ignore[operator]
            try:
                with sync, self.precision.autocast():
                    _, size, log = self.task.train_step(
                        sample,
                        self.train_model,
                        self.criterion,
                        self.optimizer,
                        self.num_updates,
                        ignore_grad=ignore,
                    )
            except RuntimeError as exc:
                if not is_out_of_memory(exc):
                    raise
                self.out_of_memory(sample, exc)
                return None
            if not ignore:
                logs.append(log)
                sample_size += size
        return logs, sample_size

    def _dummy_batch(self) -> dict[str, Any]:
        """Every rank must join each gradient all-reduce: a rank whose shard ran out of
        batches computes a batch it has seen, with its loss times zero."""
        if self._dummy is None:
            raise SeqxError(
                f"rank {self.ranks.rank} got no batch to train on; the data has fewer "
                "batches than there are processes: lower --max-tokens or use fewer processes"
            )
        return self._dummy

    def _nonfinite_gradient(self, gnorm: float) -> None:
        update = self.num_updates + 1
        try:
            note = self.precision.overflow(self.optimizer, update)
        except LossScaleTooLow as exc:
            last = self.last_checkpoint or "none was written yet"
            raise SeqxError(
                f"{exc} (update {update}). The last good checkpoint is {last}; "
                "resume from it with a lower --lr or in float32"
            ) from None
        if note is not None:
            if note:
                self.say(note)
            return
        self.optimizer.zero_grad()
        self.skip_nonfinite(gnorm)

    def _after_update(self) -> None:
        self.num_updates += 1
        if self.ema is not None:
            self.ema.after_update(self.num_updates, self._weights())
        self.lr_scheduler.step_update(self.num_updates)
        self.model.set_num_updates(self.num_updates)  # type: ignore[operator]

    def _count(self, logs: list[dict[str, Any]], gnorm: float, elapsed: float) -> None:
        clip_norm = self.cfg.clip_norm
        clipped = int(clip_norm > 0 and gnorm > clip_norm)
        for acc in (self.interval, self.epoch_stats):
            acc.add(logs)
            acc.updates += 1
            acc.gnorm_sum += gnorm
            acc.clipped += clipped
            acc.train_wall += elapsed

    def out_of_memory(self, sample: dict[str, Any], exc: BaseException) -> None:
        """Skip an update whose batch ran out of memory; under several processes, stop."""
        self.optimizer.zero_grad()
        self.ooms += 1
        size = f"{sample.get('nsentences', '?')} sentences, {sample.get('ntokens', '?')} tokens"
        if self.ranks.world_size > 1:
            raise SeqxError(
                f"rank {self.ranks.rank} ran out of memory on a batch ({size}) at update "
                f"{self.num_updates + 1}; the other ranks cannot skip it with this one, so "
                "training stops. Lower --max-tokens or --batch-size (and raise --update-freq) "
                f"and resume from {self.last_checkpoint or 'the start'}"
            ) from None
        if self.device.type == "cuda":
            torch.cuda.empty_cache()
        self.say(
            f"out of memory on a batch ({size}) at update {self.num_updates + 1}: the update is "
            f"skipped ({self.ooms} so far); lower --max-tokens if this repeats"
        )

    def skip_nonfinite(self, gnorm: float) -> None:
        """Count an update skipped for a NaN/inf loss or gradient; stop after too many."""
        self.nonfinite += 1
        self.nonfinite_in_a_row += 1
        limit = self.cfg.max_nonfinite_updates
        update = self.num_updates + 1
        self.say(
            f"skipped update {update}: the gradient norm is {gnorm} "
            f"({self.nonfinite_in_a_row} in a row, {self.nonfinite} in all)"
        )
        if self.nonfinite_in_a_row > limit:
            last = self.last_checkpoint or "none was written yet"
            raise SeqxError(
                f"{self.nonfinite_in_a_row} updates in a row had a NaN or inf loss or gradient "
                f"(up to update {update}; --max-nonfinite-updates {limit}): training diverged. "
                f"The last good checkpoint is {last}; resume from it with a lower --lr, "
                "a longer --warmup-updates or --clip-norm"
            )

    def valid_step(self, sample: dict[str, Any]) -> dict[str, Any]:
        """The logging output of one validation batch."""
        sample = move_to(sample, self.device)
        with self.precision.autocast():
            _, _, log = self.task.valid_step(sample, self.model, self.criterion)
        return log

    # -- stats -------------------------------------------------------------------------

    def wall(self) -> float:
        """Seconds of training so far, across restarts."""
        return self.wall_offset + time.perf_counter() - self.start_time

    def get_lr(self) -> float:
        return float(self.optimizer.get_lr())

    def global_sums(self, acc: StatsAccumulator) -> dict[str, float]:
        """``acc``'s sums over every rank (a collective: all ranks call it together)."""
        sums = acc.plain()
        if self.ranks.world_size > 1:
            sums = all_reduce_dict(sums, self.device)
        return sums

    def reduce(self, acc: StatsAccumulator) -> dict[str, Any]:
        """Criterion stats plus throughput stats of ``acc``."""
        sums = self.global_sums(acc)
        stats = self.task.reduce_metrics([sums], self.criterion)
        stats.update(acc.throughput(self.get_lr(), self.num_updates, self.wall(), sums))
        scale = self.precision.loss_scale(self.optimizer)
        if scale is not None:
            stats["loss_scale"] = scale
        return stats

    # -- checkpoint state --------------------------------------------------------------

    def checkpoint_parts(self) -> dict[str, Any]:
        """The trainer's share of a checkpoint (see :func:`seqx.checkpoint.build_state`):
        model, moving average, optimizer and schedule states, and its own counters under
        ``trainer``."""
        model_state = self.precision.model_state_dict(self.model, self.optimizer)
        return {
            "model": model_state,
            "ema": self.ema.state_dict(model_state) if self.ema is not None else None,
            "optimizer": self.optimizer.state_dict(),
            "lr_scheduler": self.lr_scheduler.state_dict(),
            "dictionaries": dictionary_records(self.task),
            "trainer": {
                "num_updates": self.num_updates,
                "rng": get_rng_state(),
                "wall": self.wall(),
                "nonfinite": self.nonfinite,
                "meters": {
                    "interval": self.interval.state_dict(),
                    "epoch": self.epoch_stats.state_dict(),
                },
            },
        }

    def _param_names(self) -> list[str]:
        return [name for name, p in self.model.named_parameters() if p.requires_grad]

    def _weights(self) -> list[torch.Tensor]:
        """The trained parameters (the float32 master copy under --fp16/--bf16)."""
        return self.precision.trained_weights(self.model, self.optimizer)

    def _seed_average(self, path: str) -> dict[str, Any]:
        """--ema-seed-model: the moving average stored in checkpoint ``path``."""
        state = read_checkpoint(path)
        if not state.get("ema"):
            raise SeqxError(
                f"--ema-seed-model '{path}' holds no moving average (it was trained "
                "without --store-ema/--ema-decay); give a checkpoint that has one"
            )
        check_dictionaries(path, state, self.task)
        return dict(state["ema"])

    def load_model_weights(self, path: str, arch: str | None = None) -> dict[str, Any]:
        """Load only the model weights of checkpoint ``path``; returns the whole state."""
        state = read_checkpoint(path)
        check_dictionaries(path, state, self.task)
        weights = load_model_weights(self.model, state, path, arch=arch)
        self.precision.load_weights(self.optimizer, [weights[n] for n in self._param_names()])
        return state

    def load_checkpoint(
        self,
        state: dict[str, Any],
        path: str,
        reset_optimizer: bool = False,
        reset_lr_scheduler: bool = False,
        reset_meters: bool = False,
    ) -> None:
        """Restore optimizer, schedule, counters, meters and RNGs from checkpoint ``state``
        (read from ``path``, model weights already loaded), less what the ``reset_*``
        flags exclude."""
        trainer = state["trainer"]
        if not reset_optimizer and state["optimizer"]:  # empty: --no-save-optimizer-state
            try:
                self.optimizer.load_state_dict(state["optimizer"])
            except (ValueError, KeyError, RuntimeError) as exc:
                raise SeqxError(
                    f"the optimizer state in '{path}' does not fit this run's --optimizer "
                    f"({exc}); add --reset-optimizer to start it afresh"
                ) from None
        if not reset_lr_scheduler:
            self.lr_scheduler.load_state_dict(state["lr_scheduler"])
        self.num_updates = int(trainer["num_updates"])
        self.wall_offset = float(trainer.get("wall", 0.0))
        self.nonfinite = int(trainer.get("nonfinite", 0))
        self.start_time = time.perf_counter()
        set_rng_state(trainer["rng"])
        if self.ema is not None:
            self.ema.load_state_dict(state.get("ema") or state["model"])
        meters = trainer.get("meters")
        if meters and not reset_meters:
            self.interval.load_state_dict(meters["interval"])
            self.epoch_stats.load_state_dict(meters["epoch"])
        self.lr_scheduler.step_update(self.num_updates)
        self.model.set_num_updates(self.num_updates)  # type: ignore[operator]
