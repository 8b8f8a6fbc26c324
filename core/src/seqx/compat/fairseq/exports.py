"""A seqx checkpoint written as fairseq's: what fairseq-generate, fairseq-interactive,
``from_pretrained`` and tools built on fairseq's format (CTranslate2's converter) load.

The options are written as fairseq 0.9-0.12 all read them: one ``argparse.Namespace``
under ``args`` (fairseq 0.12 turns it into its ``cfg`` on load), holding the task's
options, the criterion's, and the model's as the model plugin's
:class:`~seqx.compat.fairseq.adapter.FairseqAdapter` maps them, every one explicit.
"""

from __future__ import annotations

import argparse
from typing import Any

from seqx.errors import SeqxError
from seqx.registry import Registry

DATASET_IMPLS = ("raw", "lazy", "cached", "mmap")
"""The dataset formats fairseq knows by name."""

CRITERION_CLASSES = {
    "cross_entropy": "CrossEntropyCriterion",
    "label_smoothed_cross_entropy": "LabelSmoothedCrossEntropyCriterion",
    "adaptive_loss": "AdaptiveLoss",
}
"""fairseq's criterion class names, which its checkpoints record."""


def export_state(state: dict[str, Any], registry: Registry, path: str) -> dict[str, Any]:
    """The fairseq checkpoint of seqx checkpoint ``state`` (read from ``path``)."""
    config = state.get("config") or {}
    model = dict(config.get("model") or {})
    name = str(model.get("_name"))
    if ("fairseq_adapter", name) not in registry:
        raise SeqxError(
            f"'{path}' holds a '{name}' model, whose plugin registers no fairseq adapter; "
            "it cannot be written as a fairseq checkpoint"
        )
    adapter = registry.get("fairseq_adapter", name).load()()
    fields = {k: v for k, v in model.items() if not k.startswith("_")}
    options = _options(config, adapter.export_options(fields))
    options["arch"] = model.get("_arch") or name
    trainer = state.get("trainer") or {}
    updates = int(
        trainer.get("num_updates") or (state.get("imported") or {}).get("num_updates") or 0
    )
    return {
        "args": argparse.Namespace(**options),
        "model": adapter.export_weights(state["model"], fields),
        "optimizer_history": [
            {
                "criterion_name": CRITERION_CLASSES.get(
                    options["criterion"], "CrossEntropyCriterion"
                ),
                "optimizer_name": "FairseqAdam",
                "lr_scheduler_state": {"best": trainer.get("best")},
                "num_updates": updates,
            }
        ],
        "extra_state": {
            "train_iterator": {"epoch": max(int(trainer.get("epoch") or 1), 1)},
            "val_loss": None,
        },
        "last_optimizer_state": None,
    }


def _options(config: dict[str, Any], model_options: dict[str, Any]) -> dict[str, Any]:
    """Every option fairseq reads: the task's, the criterion's, then the model's."""
    task = dict(config.get("task") or {})
    criterion = dict(config.get("criterion") or {})
    fmt = (config.get("dataset_format") or {}).get("_name")
    options: dict[str, Any] = {k: v for k, v in task.items() if not k.startswith("_")}
    options.update({k: v for k, v in criterion.items() if not k.startswith("_")})
    options.update(model_options)
    options["task"] = task.get("_name") or "translation"
    options["criterion"] = criterion.get("_name") or "cross_entropy"
    options["dataset_impl"] = fmt if fmt in DATASET_IMPLS else None
    options.setdefault("data", "")
    return options
