"""``Checkpointing``: when a run writes checkpoints, what they hold, and resuming from one.

It owns ``--save-dir``: ``config.json``, the checkpoint files and their pruning
(:mod:`seqx.training.checkpoint_policy`), the best validation metric and ``--patience``,
and restoring (``--restore-file``, ``--finetune-from-model``, the ``--reset-*`` flags).
The format itself is :mod:`seqx.checkpoint`'s.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from typing import Any

import torch

from seqx.checkpoint import atomic_write, build_state, copy_atomic, save_state
from seqx.data.iterators import EpochBatchIterator
from seqx.errors import SeqxError
from seqx.locking import FolderLock
from seqx.training.checkpoint_policy import checkpoint_names, is_better, remove_stale
from seqx.training.config import CheckpointConfig
from seqx.training.distributed import Ranks, all_reduce_sum
from seqx.training.trainer import Trainer


def claim_save_dir(cfg: CheckpointConfig, ranks: Ranks, device: torch.device) -> FolderLock | None:
    """Take ``--save-dir``'s lock for the run (the master rank; not with ``--no-save``):
    a second training into the folder is refused, naming this one, and temporaries of
    dead runs are cleared. Every rank fails together when the folder is taken."""
    lock = None
    error: SeqxError | None = None
    if ranks.is_master and not cfg.no_save:
        lock = FolderLock(cfg.save_dir, "--save-dir")
        try:
            lock.acquire()
        except SeqxError as exc:
            lock, error = None, exc
    if ranks.world_size > 1 and all_reduce_sum([float(error is not None)], device)[0]:
        error = error or SeqxError("the master rank could not claim --save-dir; stopping too")
    if error is not None:
        raise error
    return lock


class Checkpointing:
    """Saves and restores a :class:`Trainer` and the loop's position in its data."""

    def __init__(
        self,
        cfg: CheckpointConfig,
        run_config: dict[str, Any],
        components: dict[str, Any],
        is_master: bool,
        hook: Any,
        say: Callable[[str], None],
        arch: str | None = None,
    ) -> None:
        """``run_config`` and ``components`` are what every checkpoint records (plain
        data); only the master rank (``is_master``) writes; ``hook`` is the plugin
        manager's hook relay; ``arch`` names the model for error messages."""
        self.cfg = cfg
        self.run_config = run_config
        self.components = components
        self.is_master = is_master
        self.hook = hook
        self.say = say
        self.arch = arch
        self.best: dict[str, Any] | None = None
        # --patience: the best metric value seen and the validations since it improved
        self.patience: dict[str, Any] = {"value": None, "runs": 0}

    @property
    def save_dir(self) -> str:
        return self.cfg.save_dir

    def write_config(self, text: str) -> None:
        """Write the run's ``config.json`` into ``--save-dir`` (unless ``--no-save``)."""
        if not self.cfg.no_save:
            atomic_write(
                os.path.join(self.save_dir, "config.json"),
                lambda f: f.write(text.encode("utf-8")),
            )

    # -- the best metric and --patience ------------------------------------------------

    def metric_of(self, valid_stats: dict[str, Any] | None) -> float | None:
        """The validation's value of --best-checkpoint-metric (what the schedule's epoch
        step sees, as in fairseq), if it has one."""
        value = (valid_stats or {}).get(self.cfg.best_checkpoint_metric)
        return float(value) if value is not None else None

    def is_better(self, value: float) -> bool:
        """Whether ``value`` of the best-checkpoint metric beats the best so far."""
        return is_better(self.cfg, value, self.best)

    def should_stop_early(self, valid_stats: dict[str, Any]) -> bool:
        """``--patience``: True after that many validations without improvement."""
        ck = self.cfg
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

    def _improved(self, valid_stats: dict[str, Any] | None) -> tuple[bool, float | None]:
        if valid_stats is None:
            return False, None
        metric = self.cfg.best_checkpoint_metric
        if metric not in valid_stats:
            raise SeqxError(
                f"--best-checkpoint-metric {metric} is not a validation stat "
                f"(stats: {', '.join(valid_stats)})"
            )
        value = float(valid_stats[metric])
        improved = self.is_better(value)
        if improved:
            self.best = {"metric": metric, "value": value}
        return improved, value

    # -- saving ------------------------------------------------------------------------

    def save(
        self,
        trainer: Trainer,
        epoch_itr: EpochBatchIterator,
        epoch: int,
        end_of_epoch: bool,
        valid_stats: dict[str, Any] | None,
        only_last: bool = False,
    ) -> None:
        """Write the checkpoints this point of the run calls for (``checkpoint_last.pt``
        alone with ``only_last``), then prune the stale ones."""
        if self.cfg.no_save:
            return
        improved, value = self._improved(valid_stats)
        updates = trainer.num_updates
        names = checkpoint_names(self.cfg, epoch, updates, end_of_epoch, improved, value)
        if only_last:
            names = ["checkpoint_last.pt"]
        if not names:
            return
        if not self.is_master:
            trainer.last_checkpoint = os.path.join(self.save_dir, names[-1])
            return
        started = time.perf_counter()
        epoch_end = None
        if end_of_epoch:
            epoch_end = {"epoch": epoch, "valid_loss": self.metric_of(valid_stats)}
        state = self.state(trainer, epoch_itr, epoch_end)
        first = os.path.join(self.save_dir, names[0])
        save_state(state, first)
        for name in names[1:]:
            copy_atomic(first, os.path.join(self.save_dir, name))
        trainer.last_checkpoint = os.path.join(self.save_dir, names[-1])
        for name in names:
            self.hook.seqx_checkpoint_saved(trainer=trainer, path=os.path.join(self.save_dir, name))
        remove_stale(self.cfg, self.save_dir)
        seconds = time.perf_counter() - started
        self.say(
            f"saved {', '.join(names)} in {self.save_dir} (epoch {epoch}, {updates} updates, "
            f"{seconds:.2f} s)"
        )

    def state(
        self,
        trainer: Trainer,
        epoch_itr: EpochBatchIterator,
        epoch_end: dict[str, Any] | None,
    ) -> dict[str, Any]:
        """The checkpoint of this point of the run."""
        parts = trainer.checkpoint_parts()
        if self.cfg.no_save_optimizer_state:
            parts["optimizer"] = {}
        parts["trainer"].update(
            {
                "epoch": epoch_itr.epoch,
                "train_iterator": epoch_itr.state_dict(),
                "best": self.best,
                "patience": dict(self.patience),
                "epoch_end": epoch_end,
            }
        )
        return build_state(config=self.run_config, components=self.components, **parts)

    # -- restoring ---------------------------------------------------------------------

    def restore_path(self) -> str:
        """``--restore-file``: as fairseq, the default ``checkpoint_last.pt`` is looked up
        in ``--save-dir`` and another path from the current folder first, then in
        ``--save-dir``."""
        path = self.cfg.restore_file
        if path != CheckpointConfig().restore_file and os.path.exists(path):
            return path
        return path if os.path.isabs(path) else os.path.join(self.save_dir, path)

    def restore(self, trainer: Trainer) -> dict[str, Any] | None:
        """Resume from ``--restore-file``, or start from ``--finetune-from-model``; returns
        the loop's saved state (None to start at the beginning of the data)."""
        ck = self.cfg
        path = self.restore_path()
        if not os.path.exists(path):
            self._start_afresh(trainer)
            return None
        state = trainer.load_model_weights(path, self.arch)
        if "trainer" not in state:
            raise SeqxError(
                f"'{path}' was imported from {(state.get('imported') or {}).get('from')} and "
                "holds no seqx training state to resume; start from its weights with "
                f"--finetune-from-model {path} (and another --save-dir)"
            )
        trainer.load_checkpoint(
            state,
            path,
            reset_optimizer=ck.reset_optimizer,
            reset_lr_scheduler=ck.reset_lr_scheduler,
            reset_meters=ck.reset_meters,
        )
        saved = state["trainer"]
        if not ck.reset_meters:
            self.best = saved.get("best")
            self.patience = dict(saved.get("patience") or self.patience)
        self.say(f"restored {path} ({trainer.num_updates} updates)")
        if ck.reset_dataloader:
            return None
        epoch_end = saved.get("epoch_end")
        if epoch_end and not ck.reset_lr_scheduler:  # the step that followed that save
            trainer.lr_scheduler.step(epoch_end["epoch"], epoch_end["valid_loss"])
        return saved

    def _start_afresh(self, trainer: Trainer) -> None:
        """No checkpoint to resume: fine-tune from ``--finetune-from-model`` if given."""
        ck = self.cfg
        if ck.finetune_from_model:
            resets = {
                "--reset-optimizer": ck.reset_optimizer,
                "--reset-lr-scheduler": ck.reset_lr_scheduler,
                "--reset-dataloader": ck.reset_dataloader,
                "--reset-meters": ck.reset_meters,
            }
            given = [flag for flag, on in resets.items() if on]
            if given:
                raise SeqxError(
                    f"--finetune-from-model starts a fresh optimizer, schedule, data order "
                    f"and meters by itself; drop {', '.join(given)}"
                )
            trainer.load_model_weights(ck.finetune_from_model, self.arch)
            self.say(f"loaded the model weights of {ck.finetune_from_model} to fine-tune")
            return
        if ck.restore_file != CheckpointConfig().restore_file:
            raise SeqxError(
                f"--restore-file '{ck.restore_file}' does not exist ({self.restore_path()}); "
                "give an existing checkpoint, or leave the option out to start afresh"
            )
