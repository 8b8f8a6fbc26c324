"""``seqx train``'s flow: set up, restore, then epochs of updates, validation and saves."""

from __future__ import annotations

import contextlib
import os
import sys
from typing import Any, TextIO

import torch

from seqx.config.resolve import RunConfig
from seqx.data.iterators import EpochBatchIterator, GroupedIterator
from seqx.errors import SeqxError
from seqx.tasks.task import resolve_max_positions
from seqx.training.checkpoint_io import atomic_write, copy_atomic, save_state
from seqx.training.components import SECTION_KINDS, Chosen, build, chosen
from seqx.training.progress import Progress, default_format
from seqx.training.rng import set_seed
from seqx.training.stats import StatsAccumulator
from seqx.training.trainer import Trainer


class Run:
    """One training run: the trainer, its data, logging and checkpoint policy."""

    def __init__(self, run_config: RunConfig, pm: Any, stream: TextIO | None = None) -> None:
        self.cfg = run_config
        self.pm = pm
        self.stream = stream or sys.stderr
        common = run_config.common
        self.log_format = default_format(common.log_format, self.stream)
        self.log_file: TextIO | None = (
            open(common.log_file, "a", encoding="utf-8") if common.log_file else None  # noqa: SIM115
        )
        set_seed(common.seed)
        self.device = torch.device(
            "cuda" if torch.cuda.is_available() and not common.cpu else "cpu"
        )
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
        self.valid_subsets = [s for s in dataset.valid_subset.split(",") if s]
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
        )
        self.max_positions = resolve_max_positions(
            self.task.max_positions(),
            model.max_positions(),  # type: ignore[operator]
        )
        self.best: dict[str, Any] | None = None
        # built once, before any training, so that size errors surface at once
        self.valid_iterators = {
            split: self.batch_iterator(split, 1, train=False) for split in self.valid_subsets
        }
        self.say(
            f"model {run_config.sections['model'].arch}: "
            f"{sum(p.numel() for p in model.parameters()):,} parameters, on {self.device}"
        )

    # -- output ------------------------------------------------------------------------

    def say(self, line: str) -> None:
        if self.log_format != "none":
            print(line, file=self.stream, flush=True)
        if self.log_file is not None:
            print(line, file=self.log_file, flush=True)

    def emit(self, stats: dict[str, Any], tag: str, step: int | None) -> None:
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
        if self.best is None:
            return True
        if self.cfg.checkpoint.maximize_best_checkpoint_metric:
            return value > self.best["value"]
        return value < self.best["value"]

    def save(
        self,
        epoch_itr: EpochBatchIterator,
        epoch: int,
        end_of_epoch: bool,
        valid_stats: dict[str, Any] | None,
    ) -> None:
        ck = self.cfg.checkpoint
        if ck.no_save:
            return
        names = []
        if end_of_epoch and not ck.no_epoch_checkpoints and epoch % ck.save_interval == 0:
            names.append(f"checkpoint{epoch}.pt")
        if valid_stats is not None:
            metric = ck.best_checkpoint_metric
            if metric not in valid_stats:
                raise SeqxError(
                    f"--best-checkpoint-metric {metric} is not a validation stat "
                    f"(stats: {', '.join(valid_stats)})"
                )
            if self.is_better(float(valid_stats[metric])):
                self.best = {"metric": metric, "value": float(valid_stats[metric])}
                names.append("checkpoint_best.pt")
        if not ck.no_last_checkpoints:
            names.append("checkpoint_last.pt")
        if not names:
            return
        state = self.trainer.state_dict(epoch_itr, self.best)
        first = os.path.join(self.save_dir, names[0])
        save_state(state, first)
        for name in names[1:]:
            copy_atomic(first, os.path.join(self.save_dir, name))
        for name in names:
            self.pm.hook.seqx_checkpoint_saved(
                trainer=self.trainer, path=os.path.join(self.save_dir, name)
            )
        if ck.keep_last_epochs > 0:
            for old in range(epoch - ck.keep_last_epochs, 0, -1):
                with contextlib.suppress(FileNotFoundError):
                    os.remove(os.path.join(self.save_dir, f"checkpoint{old}.pt"))
        self.say(
            f"saved {', '.join(names)} in {self.save_dir} (epoch {epoch}, "
            f"{self.trainer.num_updates} updates)"
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
            sums = acc.plain()
            stats = self.task.reduce_metrics([sums], self.trainer.criterion)
            stats["wpb"] = sums.get("ntokens", 0.0) / max(len(itr), 1)
            stats["bsz"] = sums.get("nsentences", 0.0) / max(len(itr), 1)
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
        trainer.epoch_stats.reset()
        trainer.interval.reset()
        max_update = opt.max_update
        should_stop = False
        valid_stats = None
        for i, samples in enumerate(progress, start=start + 1):
            trainer.train_step(samples)
            if trainer.num_updates % self.cfg.common.log_interval == 0 and trainer.interval.updates:
                progress.log(
                    trainer.reduce(trainer.interval), "train_inner", trainer.num_updates, i
                )
                trainer.interval.reset()
            reached_max = max_update > 0 and trainer.num_updates >= max_update
            if opt.stop_time_hours > 0 and trainer.wall() >= opt.stop_time_hours * 3600:
                self.say(f"stopping after {trainer.wall():.0f}s (--stop-time-hours)")
                reached_max = True
            end_of_epoch = not itr.has_next()
            if reached_max or end_of_epoch:
                if trainer.epoch_stats.updates:
                    progress.print(
                        trainer.reduce(trainer.epoch_stats), "train", trainer.num_updates
                    )
                valid_stats = self.validate(epoch)
                self.save(epoch_itr, epoch, end_of_epoch, valid_stats)
                should_stop = reached_max
                break
        self.pm.hook.seqx_epoch_end(
            trainer=trainer, epoch=epoch, stats=trainer.reduce(trainer.epoch_stats)
        )
        return valid_stats, should_stop

    def run(self) -> dict[str, Any]:
        ck, opt = self.cfg.checkpoint, self.cfg.optimization
        if not ck.no_save:
            atomic_write(
                os.path.join(self.save_dir, "config.json"),
                lambda f: f.write(self.cfg.to_json().encode("utf-8")),
            )
        state = None
        if os.path.exists(self.restore_path()):
            state = self.trainer.load_checkpoint(self.restore_path())
            self.best = state.get("best")
            self.say(f"restored {self.restore_path()} ({self.trainer.num_updates} updates)")
        itr_state = state["train_iterator"] if state else None
        epoch_itr = self.train_iterator(itr_state["epoch"] if itr_state else 1, load=True)
        if itr_state:
            epoch_itr.load_state_dict(itr_state)
        self.pm.hook.seqx_train_start(trainer=self.trainer)
        max_epoch = opt.max_epoch
        last_valid: dict[str, Any] | None = None
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
    return Run(run_config, pm, stream).run()
