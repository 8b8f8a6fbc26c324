"""``seqx train``'s flow: set up, restore, then epochs of updates, validation and saves."""

from __future__ import annotations

import os
import signal
import sys
from typing import Any, TextIO

import torch

from seqx.config.resolve import RunConfig
from seqx.data.iterators import EpochBatchIterator, GroupedIterator
from seqx.errors import SeqxError
from seqx.plugins import PluginManager
from seqx.rng import set_seed
from seqx.tasks.task import resolve_max_positions
from seqx.training.checkpointing import Checkpointing, claim_save_dir
from seqx.training.config import (
    CheckpointConfig,
    CommonConfig,
    DatasetConfig,
    DistributedConfig,
    OptimizationConfig,
)
from seqx.training.distributed import all_reduce_sum, init_distributed, peers_lost
from seqx.training.loggers import stat_loggers
from seqx.training.precision import precision_notes
from seqx.training.progress import Progress, default_format
from seqx.training.setup import build_trainer, choose_components, setup_task
from seqx.training.signals import StopRequest, TrainingInterrupted
from seqx.training.stats import StatsAccumulator


class Run:
    """One training run: the trainer, its data, logging and checkpoint policy."""

    def __init__(
        self, run_config: RunConfig, pm: PluginManager, stream: TextIO | None = None
    ) -> None:
        self.run_config = run_config
        self.common = common = run_config.section(CommonConfig, "common")
        self.data_cfg = run_config.section(DatasetConfig, "dataset")
        self.opt = run_config.section(OptimizationConfig, "optimization")
        self.pm = pm
        self.stream = stream or sys.stderr
        distributed = run_config.section(DistributedConfig, "distributed")
        self.ranks, self.device = init_distributed(distributed, common.cpu)
        self.log_file: TextIO | None = None
        # before anything else: a second run into the folder is refused at once
        self.save_dir_lock = claim_save_dir(
            run_config.section(CheckpointConfig, "checkpoint"), self.ranks, self.device
        )
        try:
            self._build(run_config, pm)
        except BaseException:
            self.close()
            raise

    def _build(self, run_config: RunConfig, pm: PluginManager) -> None:
        common = self.common
        master = self.ranks.is_master  # only rank 0 logs and writes checkpoints
        fmt = (
            "simple" if common.no_progress_bar and common.log_format is None else common.log_format
        )
        self.log_format = default_format(fmt, self.stream) if master else "none"
        self.log_file = (
            open(common.log_file, "a", encoding="utf-8")  # noqa: SIM115
            if common.log_file and master
            else None
        )
        for note in precision_notes(common):
            self.say(note)
        set_seed(common.seed)
        components = choose_components(pm.registry, run_config)
        self.task = setup_task(run_config, components)
        self.valid_subsets = (
            []
            if self.data_cfg.disable_validation
            else [s for s in self.data_cfg.valid_subset.split(",") if s]
        )
        for split in self.valid_subsets:
            self.task.load_dataset(split)
        self.trainer = build_trainer(run_config, components, self.task, self.device, self.ranks)
        model = self.trainer.model
        self.max_positions = resolve_max_positions(self.task.max_positions(), model.max_positions())
        self.trainer.say = self.say
        arch = run_config.sections["model"].arch or run_config.sections["model"].name
        self.checkpoints = Checkpointing(
            run_config.section(CheckpointConfig, "checkpoint"),
            run_config.to_dict(),
            {k: c.provenance() for k, c in components.items()},
            master,
            pm.hook,
            self.say,
            arch,
        )
        self.stop = StopRequest()
        # built once, before any training, so that size errors surface at once
        self.valid_iterators = {
            split: self.batch_iterator(split, 1, train=False) for split in self.valid_subsets
        }
        for split, itr in self.valid_iterators.items():
            if len(itr) == 0:  # a loss of 0.000 would make every checkpoint the best
                raise SeqxError(
                    f"the validation split '{split}' is empty ({len(self.task.dataset(split))} "
                    "examples, after leaving out those longer than the model's positions): "
                    "give a validation set with --validpref when preprocessing, choose "
                    "another with --valid-subset, or add --disable-validation"
                )
        where = f"{self.ranks.world_size} processes" if self.ranks.world_size > 1 else ""
        self.say(
            f"model {arch}: {sum(p.numel() for p in model.parameters()):,} parameters, "
            f"on {self.device}" + (f" ({where})" if where else "")
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
            log_interval=self.common.log_interval,
            prefix=prefix,
            emit=self.emit,
            stream=self.stream,
            log_file=self.log_file,
        )

    # -- data --------------------------------------------------------------------------

    def batch_iterator(self, split: str, epoch: int, train: bool) -> EpochBatchIterator:
        d = self.data_cfg
        valid_tokens = d.max_tokens if d.max_tokens_valid is None else d.max_tokens_valid
        valid_sentences = d.batch_size if d.batch_size_valid is None else d.batch_size_valid
        return self.task.get_batch_iterator(
            self.task.dataset(split),
            max_tokens=d.max_tokens if train else valid_tokens,
            max_sentences=d.batch_size if train else valid_sentences,
            max_positions=self.max_positions,
            ignore_invalid_inputs=train or d.skip_invalid_size_inputs_valid_test,
            required_batch_size_multiple=d.required_batch_size_multiple,
            seed=self.common.seed,
            num_shards=self.ranks.world_size,
            shard_id=self.ranks.rank,
            num_workers=d.num_workers,
            epoch=epoch,
            split=split,
            log=self.say,
        )

    def _next_shard(self, epoch_itr: EpochBatchIterator, load: bool) -> EpochBatchIterator:
        """The next epoch's iterator: its shard loaded (``load``) or its batches formed
        anew (a dataset that changes with the epoch)."""
        epoch = epoch_itr.next_epoch_idx
        new = self.train_iterator(epoch, load=load)
        new.load_state_dict({"epoch": epoch, "iterations_in_epoch": 0})
        return new

    def train_iterator(self, epoch: int, load: bool) -> EpochBatchIterator:
        split = self.data_cfg.train_subset
        if load or split not in self.task.datasets:
            self.task.load_dataset(split, epoch=epoch, combine=True)
        itr = self.batch_iterator(split, epoch, train=True)
        if len(itr) == 0:
            raise SeqxError(
                f"the '{split}' split gives no batches ({len(self.task.dataset(split))} "
                "examples, all empty or longer than the model's positions); check "
                "--max-source-positions/--max-target-positions and the data"
            )
        return itr

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
            metric = self.checkpoints.cfg.best_checkpoint_metric
            if metric in stats:
                better = self.checkpoints.is_better(float(stats[metric]))
                best_so_far = self.checkpoints.best
                best = (
                    float(stats[metric]) if better or best_so_far is None else best_so_far["value"]
                )
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
        hours = self.opt.stop_time_hours
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
        opt, data, ck = self.opt, self.data_cfg, self.checkpoints.cfg
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
        do_validate = (not data.disable_validation and updates >= data.validate_after_updates) and (
            (do_save and not end_of_epoch)
            or (end_of_epoch and epoch % data.validate_interval == 0)
            or should_stop
            or (every > 0 and updates > 0 and updates % every == 0)
        )
        valid_stats = self.validate(epoch) if do_validate else None
        if valid_stats is not None and self.checkpoints.should_stop_early(valid_stats):
            should_stop = True
        if do_save or should_stop:
            self.checkpoints.save(trainer, epoch_itr, epoch, end_of_epoch, valid_stats)
        return valid_stats, should_stop

    def train_epoch(self, epoch_itr: EpochBatchIterator) -> tuple[dict[str, Any] | None, bool]:
        opt = self.opt
        epoch = epoch_itr.next_epoch_idx
        itr = epoch_itr.next_epoch_itr(shuffle=epoch > self.data_cfg.curriculum)
        freq = opt.update_freq[min(epoch - 1, len(opt.update_freq) - 1)]
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
            if trainer.num_updates % self.common.log_interval == 0 and trainer.interval.updates:
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
        checkpoints = self.checkpoints
        if checkpoints.cfg.no_save:
            where = "nothing saved (--no-save)"
        else:
            checkpoints.save(self.trainer, epoch_itr, epoch, end_of_epoch, None, only_last=True)
            where = f"saved {os.path.join(checkpoints.save_dir, 'checkpoint_last.pt')}"
        name = self.stop.name or "a signal to another rank"
        raise TrainingInterrupted(
            f"stopped by {name} after update {updates}: {where}; "
            "run the same command again to resume",
            self.stop.signal or signal.SIGTERM,
        )

    def run(self) -> dict[str, Any]:
        self.checkpoints.write_config(self.run_config.to_json())
        state = self.checkpoints.restore(self.trainer)
        itr_state = state["train_iterator"] if state else None
        epoch_itr = self.train_iterator(itr_state["epoch"] if itr_state else 1, load=True)
        if itr_state:
            epoch_itr.load_state_dict(itr_state)
        self.pm.hook.seqx_train_start(trainer=self.trainer)
        save_dir = self.checkpoints.save_dir if self.ranks.is_master else None
        with stat_loggers(self.pm, self.common, self.run_config.to_dict(), save_dir):
            return self._train(epoch_itr)

    def close(self) -> None:
        """Let ``--save-dir`` go and close the log file."""
        if self.save_dir_lock is not None:
            self.save_dir_lock.release()
            self.save_dir_lock = None
        if self.log_file is not None:
            self.log_file.close()
            self.log_file = None

    def _below_stop_min_lr(self) -> bool:
        """--stop-min-lr: whether the learning rate has fallen to it (said when it has)."""
        lr = self.trainer.optimizer.get_lr()
        if lr > self.opt.stop_min_lr:
            return False
        self.say(
            f"stopping: the learning rate {lr:g} is at or below --stop-min-lr "
            f"{self.opt.stop_min_lr:g}"
        )
        return True

    def _train(self, epoch_itr: EpochBatchIterator) -> dict[str, Any]:
        opt = self.opt
        max_epoch = opt.max_epoch
        last_valid: dict[str, Any] | None = None
        with self.stop, peers_lost(self.ranks, lambda: self.trainer.last_checkpoint):
            while max_epoch <= 0 or epoch_itr.next_epoch_idx <= max_epoch:
                if opt.max_update > 0 and self.trainer.num_updates >= opt.max_update:
                    break
                if self._below_stop_min_lr():
                    break
                epoch = epoch_itr.next_epoch_idx
                self.trainer.lr_scheduler.step_begin_epoch(epoch)
                valid_stats, should_stop = self.train_epoch(epoch_itr)
                last_valid = valid_stats or last_valid
                if should_stop:
                    break
                self.trainer.lr_scheduler.step(epoch, self.checkpoints.metric_of(valid_stats))
                split = self.data_cfg.train_subset
                if self.task.has_sharded_data(split):
                    epoch_itr = self._next_shard(epoch_itr, load=True)
                elif not self.task.dataset(split).can_reuse_epoch_itr_across_epochs:
                    epoch_itr = self._next_shard(epoch_itr, load=False)
        final = {
            "num_updates": self.trainer.num_updates,
            "wall": self.trainer.wall(),
            **({"valid_" + k: v for k, v in last_valid.items()} if last_valid else {}),
        }
        self.pm.hook.seqx_train_end(trainer=self.trainer, stats=final)
        self.say(f"done training in {self.trainer.wall():.1f} seconds")
        return final


def main(
    run_config: RunConfig, pm: PluginManager | None = None, stream: TextIO | None = None
) -> dict[str, Any]:
    """Train as ``seqx train`` does; returns the final stats."""
    if pm is None:
        from seqx.plugins import get_plugin_manager

        pm = get_plugin_manager()
    run = None
    try:
        run = Run(run_config, pm, stream)
        return run.run()
    finally:
        if run is not None:
            run.close()
        if torch.distributed.is_initialized():
            torch.distributed.destroy_process_group()
