"""Stats to TensorBoard (``--tensorboard-logdir``) and Weights & Biases (``--wandb-project``).

Both subscribe to the ``seqx_log`` hook for the length of a run, as any
plugin would; only rank 0 logs. Each needs its package installed
(``pip install tensorboard`` / ``pip install wandb``).
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator
from typing import Any

from seqx.errors import SeqxError
from seqx.hookspecs import hookimpl
from seqx.training.config import CommonConfig


def _numbers(stats: dict[str, Any]) -> dict[str, float]:
    return {
        k: float(v)
        for k, v in stats.items()
        if isinstance(v, (int, float)) and not isinstance(v, bool)
    }


class TensorBoardLog:
    """One event folder per tag (``train_inner``, ``train``, ``valid``) under ``logdir``."""

    def __init__(self, logdir: str) -> None:
        try:
            from torch.utils.tensorboard import SummaryWriter
        except ImportError:
            raise SeqxError(
                "--tensorboard-logdir needs TensorBoard: pip install tensorboard"
            ) from None
        self.logdir = logdir
        self._writer_cls = SummaryWriter
        self.writers: dict[str, Any] = {}

    def writer(self, tag: str) -> Any:
        if tag not in self.writers:
            self.writers[tag] = self._writer_cls(os.path.join(self.logdir, tag))
        return self.writers[tag]

    @hookimpl
    def seqx_log(self, stats: dict[str, Any], tag: str, step: int | None) -> None:
        writer = self.writer(tag)
        for key, value in _numbers(stats).items():
            writer.add_scalar(key, value, step)
        writer.flush()

    def close(self) -> None:
        for writer in self.writers.values():
            writer.close()


class WandbLog:
    """A Weights & Biases run in ``project``; stats logged as ``TAG/NAME``."""

    def __init__(self, project: str, config: dict[str, Any], name: str | None = None) -> None:
        try:
            import wandb
        except ImportError:
            raise SeqxError("--wandb-project needs Weights & Biases: pip install wandb") from None
        self.wandb = wandb
        self.run = wandb.init(project=project, config=config, name=name, resume="allow")

    @hookimpl
    def seqx_log(self, stats: dict[str, Any], tag: str, step: int | None) -> None:
        self.wandb.log({f"{tag}/{k}": v for k, v in _numbers(stats).items()}, step=step)

    def close(self) -> None:
        self.run.finish()


@contextlib.contextmanager
def stat_loggers(
    pm: Any, common: CommonConfig, run_config: dict[str, Any], save_dir: str | None
) -> Iterator[None]:
    """TensorBoard and W&B subscribers to ``seqx_log`` for the length of a run; ``save_dir``
    is None on the ranks that do not log (all but rank 0)."""
    loggers: list[Any] = []
    if save_dir is not None:
        if common.tensorboard_logdir:
            loggers.append(TensorBoardLog(common.tensorboard_logdir))
        if common.wandb_project:
            name = os.path.basename(os.path.abspath(save_dir))
            loggers.append(WandbLog(common.wandb_project, run_config, name))
    for logger in loggers:
        pm.register(logger)
    try:
        yield
    finally:
        for logger in loggers:
            pm.unregister(logger)
            logger.close()
