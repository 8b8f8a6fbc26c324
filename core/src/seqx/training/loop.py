"""``seqx train``'s flow: set up, restore, then epochs of updates, validation and saves."""

from __future__ import annotations

import contextlib
import os
import signal
import sys
import time
from collections.abc import Iterator
from typing import Any, TextIO

import torch

from seqx.config.resolve import RunConfig
from seqx.data.iterators import EpochBatchIterator, GroupedIterator
from seqx.errors import SeqxError
from seqx.tasks.task import resolve_max_positions
from seqx.training.checkpoint_io import atomic_write, copy_atomic, save_state
from seqx.training.checkpoint_policy import checkpoint_names, is_better, remove_stale
from seqx.training.components import SECTION_KINDS, Chosen, build, chosen
from seqx.training.config import CheckpointConfig
from seqx.training.distributed import all_reduce_sum, init_distributed
from seqx.training.progress import Progress, default_format
from seqx.training.rng import set_seed
from seqx.training.signals import StopRequest, TrainingInterrupted
from seqx.training.stats import StatsAccumulator
from seqx.training.trainer import Trainer


class Run:
    """One training run: the trainer, its data, logging and checkpoint policy."""

    def __init__(self, run_config: RunConfig, pm: Any, stream: TextIO | None = None) -> None:
        self.cfg = run_config
        self.pm = pm
        self.stream = stream or sys.stderr
        common = run_config.common
        self.ranks, self.device = init_distributed(run_config.distributed, common.cpu)
        master = self.ranks.is_master  # only rank 0 logs and writes checkpoints
        self.log_format = default_format(common.log_format, self.stream) if master else "none"
        self.log_file: TextIO | None = (
            open(common.log_file, "a", encoding="utf-8")  # noqa: SIM115
            if common.log_file and master
            else None
        )
        set_seed(common.seed)
        registry = pm.registry
        self.components: dict[str, Chosen] = {
            section: chosen(registry, run_config, section, kind)
            for section, kind in SECTION_KINDS.items()
            if section in run_config.sections
        }
        fmt = build(self.components["dataset_format"])
        task_cls = self.components["task"].entry.load()  # type: ignore[union-attr]
        self.task = task_cls.setup_task(run_config.task, dataset_format=fmt)
        dataset = run_config.dataset
        self.valid_subsets = (
            [] if dataset.disable_validation else [s for s in dataset.valid_subset.split(",") if s]
        )
        for split in self.valid_subsets:
            self.task.load_dataset(split)
        model_cls = self.components["model"].entry.load()  # type: ignore[union-attr]
        model = self.task.build_model(run_config.model, model_cls)
        criterion_cls = self.components["criterion"].entry.load()  # type: ignore[union-attr]
        criterion = self.task.build_criterion(run_config.criterion, criterion_cls)
        self.trainer = Trainer(
            run_config,
            self.task,
            model,
            criterion,
            self.components["optimizer"],
            self.components["lr_scheduler"],
            self.device,
            self.components,
            self.ranks,
        )
        self.max_positions = resolve_max_positions(
            self.task.max_positions(),
            model.max_positions(),  # type: ignore[operator]
        )
        self.trainer.say = self.say
        self.best: dict[str, Any] | None = None
        # --patience: the best metric value seen and the validations since it improved
        self.patience: dict[str, Any] = {"value": None, "runs": 0}
        self.stop = StopRequest()
        # built once, before any training, so that size errors surface at once
        self.valid_iterators = {
            split: self.batch_iterator(split, 1, train=False) for split in self.valid_subsets
        }
        where = f"{self.ranks.world_size} processes" if self.ranks.world_size > 1 else ""
        self.say(
            f"model {run_config.sections['model'].arch}: "
            f"{sum(p.numel() for p in model.parameters()):,} parameters, on {self.device}"
            + (f" ({where})" if where else "")
        )

    # -- output ------------------------------------------------------------------------

    def say(self, line: str) -> None:
        if self.log_format != "none":
            print(line, file=self.stream, flush=True)
        if self.log_file is not None:
            print(line, file=self.log_file, flush=True)

    def emit(self, stats: dict[str, Any], tag: str, step: int | None) -> None:
        if self.ranks.is_master:
            self.pm.hook.seqx_log(stats=stats, tag=tag, step=step)

    def progress(self, iterable: Any, epoch: int, total: int, prefix: str = "") -> Progress:
        return Progress(
            iterable,
            epoch=epoch,
            total=total,
            log_format=self.log_format,
            log_interval=self.cfg.common.log_interval,
            prefix=prefix,
            emit=self.emit,
            stream=self.stream,
            log_file=self.log_file,
        )

    # -- data --------------------------------------------------------------------------

    def batch_iterator(self, split: str, epoch: int, train: bool) -> EpochBatchIterator:
        d = self.cfg.dataset
        return self.task.get_batch_iterator(
            self.task.dataset(split),
            max_tokens=d.max_tokens,
            max_sentences=d.batch_size,
            max_positions=self.max_positions,
            ignore_invalid_inputs=train or d.skip_invalid_size_inputs_valid_test,
            required_batch_size_multiple=d.required_batch_size_multiple,
            seed=self.cfg.common.seed,
            num_shards=self.ranks.world_size,
            shard_id=self.ranks.rank,
            num_workers=d.num_workers,
            epoch=epoch,
            split=split,
            log=self.say,
        )

    def _next_shard(self, epoch_itr: EpochBatchIterator) -> EpochBatchIterator:
        epoch = epoch_itr.next_epoch_idx
        new = self.train_iterator(epoch, load=True)
        new.load_state_dict({"epoch": epoch, "iterations_in_epoch": 0})
        return new

    def train_iterator(self, epoch: int, load: bool) -> EpochBatchIterator:
        split = self.cfg.dataset.train_subset
        if load or split not in self.task.datasets:
            self.task.load_dataset(split, epoch=epoch)
        itr = self.batch_iterator(split, epoch, train=True)
        if len(itr) == 0:
            raise SeqxError(
                f"the '{split}' split gives no batches ({len(self.task.dataset(split))} "
                "examples, all empty or longer than the model's positions); check "
                "--max-source-positions/--max-target-positions and the data"
            )
        return itr

    # -- checkpoints -------------------------------------------------------------------

    @property
    def save_dir(self) -> str:
        return self.cfg.checkpoint.save_dir

    def restore_path(self) -> str:
        path = self.cfg.checkpoint.restore_file
        return path if os.path.isabs(path) else os.path.join(self.save_dir, path)

    def is_better(self, value: float) -> bool:
        return is_better(self.cfg.checkpoint, value, self.best)

    def should_stop_early(self, valid_stats: dict[str, Any]) -> bool:
        """``--patience``: True after that many validations without improvement."""
        ck = self.cfg.checkpoint
        value = valid_stats.get(ck.best_checkpoint_metric)
        if ck.patience <= 0 or value is None:
            return False
        best = self.patience if self.patience["value"] is not None else None
        if is_better(ck, float(value), best):
            self.patience = {"value": float(value), "runs": 0}
            return False
        self.patience["runs"] += 1
        if self.patience["runs"] >= ck.patience:
            self.say(
                f"stopping early: {ck.best_checkpoint_metric} has not improved for "
                f"{ck.patience} validations (--patience)"
            )
            return True
        return False

    def save(
        self,
        epoch_itr: EpochBatchIterator,
        epoch: int,
        end_of_epoch: bool,
        valid_stats: dict[str, Any] | None,
        only_last: bool = False,
    ) -> None:
        ck = self.cfg.checkpoint
        if ck.no_save:
            return
        value = None
        improved = False
        if valid_stats is not None:
            metric = ck.best_checkpoint_metric
            if metric not in valid_stats:
                raise SeqxError(
                    f"--best-checkpoint-metric {metric} is not a validation stat "
                    f"(stats: {', '.join(valid_stats)})"
                )
            value = float(valid_stats[metric])
            improved = self.is_better(value)
            if improved:
                self.best = {"metric": metric, "value": value}
        updates = self.trainer.num_updates
        names = checkpoint_names(ck, epoch, updates, end_of_epoch, improved, value)
        if only_last:
            names = ["checkpoint_last.pt"]
        if not names:
            return
        if not self.ranks.is_master:
            self.trainer.last_checkpoint = os.path.join(self.save_dir, names[-1])
            return
        extra = {
            "patience": dict(self.patience),
            "epoch_end": (
                {"epoch": epoch, "valid_loss": valid_stats.get("loss") if valid_stats else None}
                if end_of_epoch
                else None
            ),
        }
        started = time.perf_counter()
        state = self.trainer.state_dict(epoch_itr, self.best, extra)
        first = os.path.join(self.save_dir, names[0])
        save_state(state, first)
        for name in names[1:]:
            copy_atomic(first, os.path.join(self.save_dir, name))
        self.trainer.last_checkpoint = os.path.join(self.save_dir, names[-1])
        for name in names:
            self.pm.hook.seqx_checkpoint_saved(
                trainer=self.trainer, path=os.path.join(self.save_dir, name)
            )
        remove_stale(ck, self.save_dir)
        seconds = time.perf_counter() - started
        self.say(
            f"saved {', '.join(names)} in {self.save_dir} (epoch {epoch}, {updates} updates, "
            f"{seconds:.2f} s)"
        )

    # -- the loop ----------------------------------------------------------------------

    def validate(self, epoch: int) -> dict[str, Any] | None:
        result = None
        for split in self.valid_subsets:
            itr = self.valid_iterators[split].next_epoch_itr(shuffle=False)
            acc = StatsAccumulator()
            for sample in itr:
                if sample:
                    acc.add([self.trainer.valid_step(sample)])
            sums = self.trainer.global_sums(acc)
            batches = len(itr) * self.ranks.world_size
            stats = self.task.reduce_metrics([sums], self.trainer.criterion)
            stats["wpb"] = sums.get("ntokens", 0.0) / max(batches, 1)
            stats["bsz"] = sums.get("nsentences", 0.0) / max(batches, 1)
            stats["num_updates"] = self.trainer.num_updates
            metric = self.cfg.checkpoint.best_checkpoint_metric
            if metric in stats:
                better = self.is_better(float(stats[metric]))
                best = float(stats[metric]) if better else self.best["value"]  # type: ignore[index]
                stats[f"best_{metric}"] = best
            Progress(
                [],
                epoch=epoch,
                total=None,
                log_format=self.log_format,
                prefix=f"epoch {epoch:03d} | valid on '{split}' subset",
                emit=self.emit,
                stream=self.stream,
                log_file=self.log_file,
            ).print(stats, tag=split, step=self.trainer.num_updates)
            self.pm.hook.seqx_validation_end(trainer=self.trainer, stats=stats)
            result = result or stats
        return result

    def stop_flags(self) -> tuple[bool, bool]:
        """(a signal arrived, --stop-time-hours is up), agreed by every rank."""
        hours = self.cfg.optimization.stop_time_hours
        flags = [
            self.stop.signal is not None,
            hours > 0 and self.trainer.wall() >= hours * 3600,
        ]
        if self.ranks.world_size > 1:  # one collective; every rank stops at the same update
            flags = [x > 0 for x in all_reduce_sum([float(f) for f in flags], self.device)]
        return flags[0], flags[1]

    def validate_and_save(
        self, epoch_itr: EpochBatchIterator, epoch: int, end_of_epoch: bool, time_up: bool
    ) -> tuple[dict[str, Any] | None, bool]:
        """After an update: validate and save when the intervals say so; whether to stop."""
        opt, data, ck = self.cfg.optimization, self.cfg.dataset, self.cfg.checkpoint
        trainer = self.trainer
        updates = trainer.num_updates
        should_stop = opt.max_update > 0 and updates >= opt.max_update
        if time_up:
            self.say(f"stopping after {trainer.wall():.0f}s (--stop-time-hours)")
            should_stop = True
        every = ck.save_interval_updates
        do_save = (
            (end_of_epoch and epoch % ck.save_interval == 0)
            or should_stop
            or (every > 0 and updates > 0 and updates % every == 0)
        )
        every = data.validate_interval_updates
        do_validate = not data.disable_validation and (
            (do_save and not end_of_epoch)
            or (end_of_epoch and epoch % data.validate_interval == 0)
            or should_stop
            or (every > 0 and updates > 0 and updates % every == 0)
        )
        valid_stats = self.validate(epoch) if do_validate else None
        if valid_stats is not None and self.should_stop_early(valid_stats):
            should_stop = True
        if do_save or should_stop:
            self.save(epoch_itr, epoch, end_of_epoch, valid_stats)
        return valid_stats, should_stop

    def train_epoch(self, epoch_itr: EpochBatchIterator) -> tuple[dict[str, Any] | None, bool]:
        opt = self.cfg.optimization
        epoch = epoch_itr.next_epoch_idx
        itr = epoch_itr.next_epoch_itr(shuffle=True)
        freq = opt.update_freq[min(epoch - 1, len(opt.update_freq) - 1)]
        if freq < 1:
            raise SeqxError(f"--update-freq must be at least 1, got {freq}")
        grouped = GroupedIterator(itr, freq)
        start = itr.n // freq
        progress = self.progress(grouped, epoch, len(grouped))
        trainer = self.trainer
        if start == 0:  # a resumed epoch keeps the sums restored from the checkpoint
            trainer.epoch_stats.reset()
            trainer.interval.reset()
        should_stop = False
        valid_stats = None
        for i, samples in enumerate(progress, start=start + 1):
            trainer.train_step(samples)
            if trainer.num_updates % self.cfg.common.log_interval == 0 and trainer.interval.updates:
                progress.log(
                    trainer.reduce(trainer.interval), "train_inner", trainer.num_updates, i
                )
                trainer.interval.reset()
            end_of_epoch = not itr.has_next()
            reached = opt.max_update > 0 and trainer.num_updates >= opt.max_update
            stop, time_up = self.stop_flags()
            if (end_of_epoch or reached or time_up) and trainer.epoch_stats.updates:
                progress.print(trainer.reduce(trainer.epoch_stats), "train", trainer.num_updates)
            valid_stats, should_stop = self.validate_and_save(
                epoch_itr, epoch, end_of_epoch, time_up
            )
            if stop and not should_stop:
                self.interrupted(epoch_itr, epoch, end_of_epoch)
            if should_stop or end_of_epoch:
                break
        self.pm.hook.seqx_epoch_end(
            trainer=trainer, epoch=epoch, stats=trainer.reduce(trainer.epoch_stats)
        )
        return valid_stats, should_stop

    def interrupted(self, epoch_itr: EpochBatchIterator, epoch: int, end_of_epoch: bool) -> None:
        """A signal arrived: save checkpoint_last.pt at this update boundary and stop."""
        updates = self.trainer.num_updates
        ck = self.cfg.checkpoint
        if ck.no_save:
            where = "nothing saved (--no-save)"
        else:
            self.save(epoch_itr, epoch, end_of_epoch, None, only_last=True)
            where = f"saved {os.path.join(self.save_dir, 'checkpoint_last.pt')}"
        name = self.stop.name or "a signal to another rank"
        raise TrainingInterrupted(
            f"stopped by {name} after update {updates}: {where}; "
            "run the same command again to resume",
            self.stop.signal or signal.SIGTERM,
        )

    @contextlib.contextmanager
    def peers_lost(self) -> Iterator[None]:
        """Under torch.distributed, a collective that fails because another rank died
        ends this rank with a message instead of a traceback."""
        try:
            yield
        except (torch.distributed.DistError, RuntimeError) as exc:
            text = str(exc)
            lost = isinstance(exc, torch.distributed.DistError) or any(
                word in text for word in ("Gloo", "gloo", "NCCL", "Connection closed", "peer")
            )
            if self.ranks.world_size == 1 or not lost:
                raise
            raise SeqxError(
                f"rank {self.ranks.rank}: another training process stopped "
                f"({text.splitlines()[0] if text else type(exc).__name__}); stopping too. "
                f"The last checkpoint is {self.trainer.last_checkpoint or 'not written yet'}"
            ) from None

    def restore(self) -> dict[str, Any] | None:
        """Resume from --restore-file, or start from --finetune-from-model; the trainer state."""
        ck = self.cfg.checkpoint
        path = self.restore_path()
        resets = {
            "--reset-optimizer": ck.reset_optimizer,
            "--reset-lr-scheduler": ck.reset_lr_scheduler,
            "--reset-dataloader": ck.reset_dataloader,
            "--reset-meters": ck.reset_meters,
        }
        if not os.path.exists(path):
            default = CheckpointConfig().restore_file
            if ck.finetune_from_model:
                given = [flag for flag, on in resets.items() if on]
                if given:
                    raise SeqxError(
                        f"--finetune-from-model starts a fresh optimizer, schedule, data order "
                        f"and meters by itself; drop {', '.join(given)}"
                    )
                self.trainer.load_model_weights(ck.finetune_from_model)
                self.say(f"loaded the model weights of {ck.finetune_from_model} to fine-tune")
                return None
            if ck.restore_file != default:
                raise SeqxError(
                    f"--restore-file '{ck.restore_file}' does not exist ({path}); "
                    "give an existing checkpoint, or leave the option out to start afresh"
                )
            return None
        state = self.trainer.load_checkpoint(
            path,
            reset_optimizer=ck.reset_optimizer,
            reset_lr_scheduler=ck.reset_lr_scheduler,
            reset_meters=ck.reset_meters,
        )
        if not ck.reset_meters:
            self.best = state.get("best")
            self.patience = dict(state.get("patience") or self.patience)
        self.say(f"restored {path} ({self.trainer.num_updates} updates)")
        if ck.reset_dataloader:
            return None
        epoch_end = state.get("epoch_end")
        if epoch_end and not ck.reset_lr_scheduler:  # the step that followed that save
            self.trainer.lr_scheduler.step(epoch_end["epoch"], epoch_end["valid_loss"])
        return state

    def run(self) -> dict[str, Any]:
        ck = self.cfg.checkpoint
        if not ck.no_save:
            atomic_write(
                os.path.join(self.save_dir, "config.json"),
                lambda f: f.write(self.cfg.to_json().encode("utf-8")),
            )
        state = self.restore()
        itr_state = state["train_iterator"] if state else None
        epoch_itr = self.train_iterator(itr_state["epoch"] if itr_state else 1, load=True)
        if itr_state:
            epoch_itr.load_state_dict(itr_state)
        self.pm.hook.seqx_train_start(trainer=self.trainer)
        with self.stat_loggers():
            return self._train(epoch_itr)

    @contextlib.contextmanager
    def stat_loggers(self) -> Iterator[None]:
        """TensorBoard and W&B subscribers to seqx_log for the run (rank 0 only)."""
        from seqx.training.loggers import TensorBoardLog, WandbLog

        common = self.cfg.common
        loggers: list[Any] = []
        if self.ranks.is_master:
            if common.tensorboard_logdir:
                loggers.append(TensorBoardLog(common.tensorboard_logdir))
            if common.wandb_project:
                name = os.path.basename(os.path.abspath(self.save_dir))
                loggers.append(WandbLog(common.wandb_project, self.cfg.to_dict(), name))
        for logger in loggers:
            self.pm.register(logger)
        try:
            yield
        finally:
            for logger in loggers:
                self.pm.unregister(logger)
                logger.close()

    def _train(self, epoch_itr: EpochBatchIterator) -> dict[str, Any]:
        opt = self.cfg.optimization
        max_epoch = opt.max_epoch
        last_valid: dict[str, Any] | None = None
        with self.stop, self.peers_lost():
            while max_epoch <= 0 or epoch_itr.next_epoch_idx <= max_epoch:
                if opt.max_update > 0 and self.trainer.num_updates >= opt.max_update:
                    break
                epoch = epoch_itr.next_epoch_idx
                self.trainer.lr_scheduler.step_begin_epoch(epoch)
                valid_stats, should_stop = self.train_epoch(epoch_itr)
                last_valid = valid_stats or last_valid
                if should_stop:
                    break
                loss = valid_stats.get("loss") if valid_stats else None
                self.trainer.lr_scheduler.step(epoch, loss)
                sharded = getattr(self.task, "has_sharded_data", lambda split: False)
                if sharded(self.cfg.dataset.train_subset):  # the next shard, one per epoch
                    epoch_itr = self._next_shard(epoch_itr)
        final = {
            "num_updates": self.trainer.num_updates,
            "wall": self.trainer.wall(),
            **({"valid_" + k: v for k, v in last_valid.items()} if last_valid else {}),
        }
        self.pm.hook.seqx_train_end(trainer=self.trainer, stats=final)
        self.say(f"done training in {self.trainer.wall():.1f} seconds")
        if self.log_file is not None:
            self.log_file.close()
        return final


def main(run_config: RunConfig, pm: Any = None, stream: TextIO | None = None) -> dict[str, Any]:
    """Train as ``seqx train`` does; returns the final stats."""
    if pm is None:
        from seqx.plugins import get_plugin_manager

        pm = get_plugin_manager()
    try:
        return Run(run_config, pm, stream).run()
    finally:
        if torch.distributed.is_initialized():
            torch.distributed.destroy_process_group()
