"""``Trainer``: one update from ``--update-freq`` batches, and the state checkpoints hold."""

from __future__ import annotations

import contextlib
import math
import time
from typing import Any

import torch

from seqx.config.resolve import RunConfig
from seqx.data.iterators import EpochBatchIterator
from seqx.errors import SeqxError
from seqx.optim.loss_scaler import DynamicLossScaler, LossScaleTooLow
from seqx.optim.mixed_precision import MixedPrecisionOptimizer
from seqx.training.checkpoint_io import load_state
from seqx.training.components import Chosen, build
from seqx.training.distributed import DistributedModel, Ranks, all_reduce_dict, all_reduce_sum
from seqx.training.ema import EMA
from seqx.training.rng import get_rng_state, set_rng_state
from seqx.training.stats import StatsAccumulator
from seqx.version import __version__

FORMAT_VERSION = 1


def is_out_of_memory(exc: BaseException) -> bool:
    """Whether ``exc`` is an allocation failure (CUDA's OutOfMemoryError or the CPU's)."""
    if isinstance(exc, torch.OutOfMemoryError):
        return True
    text = str(exc)
    return "out of memory" in text or "can't allocate memory" in text


def move_to(sample: Any, device: torch.device) -> Any:
    """``sample`` with every tensor on ``device``."""
    if isinstance(sample, torch.Tensor):
        return sample.to(device, non_blocking=True)
    if isinstance(sample, dict):
        return {k: move_to(v, device) for k, v in sample.items()}
    if isinstance(sample, list):
        return [move_to(v, device) for v in sample]
    return sample


class Trainer:
    """Holds the model, criterion, optimizer and schedule of a run, and steps them."""

    def __init__(
        self,
        run_config: RunConfig,
        task: Any,
        model: torch.nn.Module,
        criterion: torch.nn.Module,
        optimizer: Chosen,
        lr_scheduler: Chosen,
        device: torch.device,
        components: dict[str, Chosen],
        ranks: Ranks | None = None,
    ) -> None:
        self.run_config = run_config
        self.task = task
        self.device = device
        self.ranks = ranks or Ranks(rank=0, world_size=1, local_rank=0)
        common = run_config.common
        if sum([common.amp, common.fp16, common.bf16]) > 1:
            raise SeqxError("choose one of --amp, --fp16 and --bf16")
        self.half: torch.dtype | None = (
            torch.float16 if common.fp16 else torch.bfloat16 if common.bf16 else None
        )
        self.model = model.to(device)
        if self.half is not None:
            self.model = self.model.to(self.half)
        self.train_model: torch.nn.Module = self.model
        if self.ranks.world_size > 1:
            self.train_model = DistributedModel(self.model, device)
        self._dummy: dict[str, Any] | None = None
        self.criterion = criterion.to(device)
        lrs = tuple(run_config.optimization.lr)
        self.optimizer: Any
        if self.half is None:
            self.optimizer = build(optimizer, self.model.parameters(), lrs[0])
        else:
            self.optimizer = MixedPrecisionOptimizer(
                list(self.model.parameters()),
                lambda params: build(optimizer, params, lrs[0]),
                self._loss_scaler() if self.half == torch.float16 else None,
            )
        self.lr_scheduler = build(lr_scheduler, self.optimizer, lrs)
        self.ema: EMA | None = None
        opt = run_config.optimization
        if opt.ema_decay > 0:
            self.ema = EMA(self._param_names(), self._weights(), opt.ema_decay)
        self.components = components
        self.num_updates = 0
        self.clip_norm = run_config.optimization.clip_norm
        self.amp_dtype: torch.dtype | None = None
        if run_config.common.amp:
            self.amp_dtype = torch.float16 if device.type == "cuda" else torch.bfloat16
            if self.amp_dtype == torch.float16:
                self.optimizer.scaler = torch.amp.GradScaler(device.type)
        self.nonfinite = 0
        self.ooms = 0
        self.nonfinite_in_a_row = 0
        self.last_checkpoint: str | None = None
        self.say: Any = lambda line: None
        self.interval = StatsAccumulator()
        self.epoch_stats = StatsAccumulator()
        self.start_time = time.perf_counter()
        self.wall_offset = 0.0

    def _loss_scaler(self) -> DynamicLossScaler:
        common = self.run_config.common
        window = common.fp16_scale_window
        if window is None:
            freq = self.run_config.optimization.update_freq[0]
            window = max(1, int(2**14 / self.ranks.world_size / freq))
        return DynamicLossScaler(
            init_scale=common.fp16_init_scale,
            scale_window=window,
            tolerance=common.fp16_scale_tolerance,
            threshold=common.threshold_loss_scale,
            min_loss_scale=common.min_loss_scale,
        )

    # -- stepping ----------------------------------------------------------------------

    def autocast(self) -> Any:
        """The autocast context of ``--amp`` (a no-op without it)."""
        if self.amp_dtype is None:
            return contextlib.nullcontext()
        return torch.autocast(self.device.type, dtype=self.amp_dtype)

    def train_step(self, samples: list[dict[str, Any]]) -> None:
        """Forward/backward over ``samples`` (one update), then clip and step."""
        started = time.perf_counter()
        self.optimizer.zero_grad()
        logs, sample_size = [], 0
        world = self.ranks.world_size
        for i, sample in enumerate(samples):
            ignore = not sample
            if ignore:
                if world == 1:
                    continue
                # every rank must join each gradient all-reduce: a rank whose shard ran
                # out of batches computes a batch it has seen, with its loss times zero
                if self._dummy is None:
                    raise SeqxError(
                        f"rank {self.ranks.rank} got no batch to train on; the data has fewer "
                        "batches than there are processes: lower --max-tokens or use fewer "
                        "processes"
                    )
                sample = self._dummy
            else:
                sample = move_to(sample, self.device)
                if self._dummy is None:
                    self._dummy = sample
            is_last = i == len(samples) - 1
            sync = contextlib.nullcontext()
            if world > 1 and not is_last:
                sync = self.train_model.no_sync()  # type: ignore[operator]
            try:
                with sync, self.autocast():
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
                return
            if not ignore:
                logs.append(log)
                sample_size += size
        total: float = sample_size
        if world > 1:
            total = all_reduce_sum([float(sample_size)], self.device)[0]
        if total == 0:
            return
        self.optimizer.unscale_grads()
        # DDP averages the ranks' gradients; the sum over ranks is normalized by the
        # sample size of all of them
        self.optimizer.multiply_grads(world / float(total))
        grad_norm = self.optimizer.clip_grad_norm(self.clip_norm)
        gnorm = float(grad_norm)
        if not math.isfinite(gnorm) and self.optimizer.scaler is not None:
            self.optimizer.step()  # the scaler skips the update and lowers the scale
            return
        if not math.isfinite(gnorm) and getattr(self.optimizer, "loss_scaler", None):
            try:
                self.optimizer.overflow()
            except LossScaleTooLow as exc:
                last = self.last_checkpoint or "none was written yet"
                raise SeqxError(
                    f"{exc} (update {self.num_updates + 1}). The last good checkpoint is {last}; "
                    "resume from it with a lower --lr or in float32"
                ) from None
            self.say(
                f"overflow at update {self.num_updates + 1}: the update is skipped and the "
                f"loss scale lowered to {self.optimizer.loss_scaler.scale:g}"
            )
            return
        if not math.isfinite(gnorm):
            self.optimizer.zero_grad()
            self.skip_nonfinite(gnorm)
            return
        self.nonfinite_in_a_row = 0
        self.optimizer.step()
        self.num_updates += 1
        if self.ema is not None:
            if self.num_updates <= self.run_config.optimization.ema_start_update:
                self.ema.reset(self._weights())
            else:
                self.ema.step(self._weights())
        self.lr_scheduler.step_update(self.num_updates)
        self.model.set_num_updates(self.num_updates)  # type: ignore[operator]
        elapsed = time.perf_counter() - started
        clipped = int(self.clip_norm > 0 and gnorm > self.clip_norm)
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
        limit = self.run_config.optimization.max_nonfinite_updates
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
        with self.autocast():
            _, _, log = self.task.valid_step(sample, self.model, self.criterion)
        return log

    def wall(self) -> float:
        """Seconds of training so far, across restarts."""
        return self.wall_offset + time.perf_counter() - self.start_time

    def get_lr(self) -> float:
        return self.optimizer.get_lr()

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
        if self.optimizer.scaler is not None:
            stats["loss_scale"] = float(self.optimizer.scaler.get_scale())
        elif getattr(self.optimizer, "loss_scaler", None) is not None:
            stats["loss_scale"] = self.optimizer.loss_scaler.scale
        return stats

    # -- checkpoints -------------------------------------------------------------------

    def state_dict(
        self,
        epoch_itr: EpochBatchIterator,
        best: dict[str, Any] | None,
        extra: dict[str, Any] | None = None,
    ) -> dict[str, Any]:
        """Everything needed to resume: plain data and tensors only.

        ``extra`` is the training loop's own state (kept under ``trainer``).
        """
        return {
            "format_version": FORMAT_VERSION,
            "seqx_version": __version__,
            "config": self.run_config.to_dict(),
            "components": {k: c.provenance() for k, c in self.components.items()},
            "model": (model_state := self.model_state_dict()),
            **({"ema": self.ema.state_dict(model_state)} if self.ema is not None else {}),
            "optimizer": self.optimizer.state_dict(),
            "lr_scheduler": self.lr_scheduler.state_dict(),
            "trainer": {
                "num_updates": self.num_updates,
                "epoch": epoch_itr.epoch,
                "train_iterator": epoch_itr.state_dict(),
                "best": best,
                "rng": get_rng_state(),
                "wall": self.wall(),
                "nonfinite": self.nonfinite,
                "meters": {
                    "interval": self.interval.state_dict(),
                    "epoch": self.epoch_stats.state_dict(),
                },
                **(extra or {}),
            },
        }

    def _param_names(self) -> list[str]:
        return [name for name, p in self.model.named_parameters() if p.requires_grad]

    def _weights(self) -> list[torch.Tensor]:
        """The trained parameters (the float32 master copy under --fp16/--bf16)."""
        if self.half is not None:
            return list(self.optimizer.master_values())
        return [p for p in self.model.parameters() if p.requires_grad]

    def model_state_dict(self) -> dict[str, Any]:
        """The model's state; in float32 (the master weights) under --fp16/--bf16."""
        state = self.model.state_dict()
        if self.half is None:
            return state
        for name, value in zip(self._param_names(), self.optimizer.master_values()):
            state[name] = value.detach().clone()
        return {
            k: v.float() if torch.is_tensor(v) and v.dtype == self.half else v
            for k, v in state.items()
        }

    def load_model_weights(self, path: str) -> dict[str, Any]:
        """Load only the model weights of checkpoint ``path``; returns the whole state."""
        state = load_state(path)
        saved = (state.get("config") or {}).get("model") or {}
        current = self.run_config.sections["model"]
        try:
            upgrade = getattr(self.model, "upgrade_state_dict", None)
            model_state = upgrade(dict(state["model"])) if upgrade else state["model"]
            self.model.load_state_dict(model_state)
            if self.half is not None:  # the exact float32 weights, not the rounded ones
                self.optimizer.load_master([model_state[n] for n in self._param_names()])
        except RuntimeError as exc:
            was = saved.get("_arch") or saved.get("_name")
            now = current.arch or current.name
            raise SeqxError(
                f"checkpoint '{path}' does not fit this model: it was trained with --arch {was} "
                f"and these options, and this run builds --arch {now} "
                f"({str(exc).splitlines()[0]}); use a matching --arch or another --save-dir"
            ) from None
        return state

    def load_checkpoint(
        self,
        path: str,
        reset_optimizer: bool = False,
        reset_lr_scheduler: bool = False,
        reset_meters: bool = False,
    ) -> dict[str, Any]:
        """Restore model, optimizer, schedule, counters, meters and RNGs (less what the
        ``reset_*`` flags exclude); return the trainer state."""
        state = self.load_model_weights(path)
        trainer = state["trainer"]
        if not reset_optimizer:
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
        return trainer
