"""A fairseq checkpoint turned into a seqx one: options mapped, weights renamed.

The model's ``--arch`` is looked up among the installed archs; the plugin that provides its
model provides the :class:`~seqx.compat.fairseq.adapter.FairseqAdapter` that maps options
and weights. The task and criterion map by name. The result is a seqx checkpoint (format
:data:`~seqx.checkpoint.FORMAT_VERSION`) without training state: it decodes, scores and
fine-tunes (``--finetune-from-model``), and ``seqx convert`` writes it to a file.
"""

from __future__ import annotations

import os
import re
from typing import Any

from seqx.checkpoint.format import build_state
from seqx.compat.fairseq.adapter import FairseqAdapter, check_supported, same_named
from seqx.compat.fairseq.options import arch_of, num_updates, option_sections
from seqx.compat.fairseq.pickles import load_fairseq
from seqx.config.resolve import check_arch_defaults
from seqx.errors import SeqxError
from seqx.registry import Entry, Registry

TASK_UNSUPPORTED: dict[str, dict[str, tuple[Any, ...]]] = {
    "translation": {"load_alignments": (False,)},
    "language_modeling": {
        "add_bos_token": (False,),
        "output_dictionary_size": (-1, None),
        "self_target": (False,),
        "past_target": (False,),
    },
}
"""Task options seqx's tasks lack, with the values under which fairseq's task is seqx's."""


def read_fairseq_checkpoint(path: str, registry: Registry) -> dict[str, Any]:
    """Read fairseq checkpoint ``path`` (through the allow-list) as a seqx checkpoint."""
    try:
        raw = load_fairseq(path)
    except Exception as exc:  # a refused class, a damaged file
        raise SeqxError(
            f"checkpoint '{path}' looks like fairseq's but cannot be read safely "
            f"({_refusal(exc)}); only checkpoints fairseq-train writes are imported"
        ) from None
    if not isinstance(raw, dict) or not isinstance(raw.get("model"), dict):
        raise SeqxError(f"'{path}' is not a fairseq checkpoint (no model state)")
    return import_state(raw, registry, path)


def _refusal(exc: Exception) -> str:
    """What torch's restricted unpickler refused, without its advice to turn it off."""
    text = str(exc)
    found = re.search(r"(?:unsupported GLOBAL|Unsupported global: GLOBAL) ([\w.]+)", text)
    if found:
        return f"it holds {found.group(1)}, which is not on the allow-list and was not run"
    lines = [line for line in text.splitlines() if line.strip()]
    return lines[-1] if lines else type(exc).__name__


def import_state(raw: dict[str, Any], registry: Registry, path: str) -> dict[str, Any]:
    """A seqx checkpoint from fairseq checkpoint ``raw`` (plain data, read from ``path``)."""
    sections = option_sections(raw, path)
    arch = arch_of(sections["model"])
    criterion_name = (sections.get("criterion") or {}).get("_name")
    model_options = {"criterion": criterion_name, **sections["model"]}
    entry, adapter, model_config = _model(model_options, arch, registry, path)
    task = _task(sections["task"], registry, path)
    criterion = _criterion(sections.get("criterion") or {}, registry, path)
    dataset = sections.get("dataset") or {}
    config = {
        "task": task,
        "model": {"_name": entry.name, "_arch": arch, **model_config},
        "criterion": criterion,
        "dataset_format": {"_name": dataset.get("dataset_impl") or None},
    }
    weights = adapter.import_weights(_tensors(raw["model"]), model_config)
    ema = (raw.get("extra_state") or {}).get("ema")  # fairseq's --store-ema average
    state = build_state(
        config=config,
        components={
            "task": registry.get("task", task["_name"]).record(),
            "model": entry.record(),
        },
        model=weights,
        optimizer={},
        lr_scheduler={},
        trainer=None,
        ema=adapter.import_weights(_tensors(ema), model_config) if ema else None,
    )
    state["imported"] = {
        "from": "fairseq",
        "file": os.path.abspath(path),
        "num_updates": num_updates(raw),
        "epoch": ((raw.get("extra_state") or {}).get("train_iterator") or {}).get("epoch"),
    }
    return state


def _model(
    options: dict[str, Any], arch: str, registry: Registry, path: str
) -> tuple[Entry, FairseqAdapter, dict[str, Any]]:
    """The seqx model of fairseq ``--arch arch``, its adapter, and its config."""
    if ("arch", arch) not in registry and ("model", arch) not in registry:
        raise SeqxError(
            f"fairseq checkpoint '{path}' is a '{arch}' model, which no installed plugin "
            f"provides; seqx imports these fairseq archs: {', '.join(importable_archs(registry))}"
        )
    resolved = registry.resolve_arch(arch)
    entry = resolved.model
    if ("fairseq_adapter", entry.name) not in registry:
        raise SeqxError(
            f"fairseq checkpoint '{path}' is a '{arch}' model; seqx's model '{entry.name}' "
            f"({entry.provenance.describe()}) registers no fairseq adapter, so its weights "
            "cannot be mapped"
        )
    adapter = registry.get("fairseq_adapter", entry.name).load()()
    config_cls = entry.load_config()
    defaults = check_arch_defaults(resolved, config_cls)
    return entry, adapter, adapter.import_options(options, config_cls, defaults, path)


def _task(options: dict[str, Any], registry: Registry, path: str) -> dict[str, Any]:
    name = options.get("_name") or "translation"
    if ("task", name) not in registry:
        raise SeqxError(
            f"fairseq checkpoint '{path}' was trained with --task {name}, which no installed "
            f"plugin provides (installed: {', '.join(registry.names('task'))})"
        )
    check_supported(options, TASK_UNSUPPORTED.get(name, {}), f"seqx's task '{name}'", path)
    cls = registry.get("task", name).load_config()
    return {"_name": name, **(same_named(options, cls, {}, path) if cls else {})}


def _criterion(options: dict[str, Any], registry: Registry, path: str) -> dict[str, Any]:
    name = options.get("_name")
    if not name or ("criterion", name) not in registry:
        return {"_name": None}
    cls = registry.get("criterion", name).load_config()
    return {"_name": name, **(same_named(options, cls, {}, path) if cls else {})}


def _tensors(weights: dict[str, Any]) -> dict[str, Any]:
    import torch

    return {k: v for k, v in weights.items() if isinstance(v, torch.Tensor)}


def importable_archs(registry: Registry) -> list[str]:
    """The archs whose model has a fairseq adapter."""
    adapted = set(registry.names("fairseq_adapter"))
    return sorted(
        a
        for model in adapted
        for a in ([model] if ("arch", model) not in registry else []) + registry.archs_of(model)
    )
