"""A fairseq checkpoint's options, by section, whichever way its fairseq kept them.

fairseq 0.12 keeps ``cfg``: one dict per section (``model``, ``task``, ``criterion``, ...),
where ``cfg["model"]`` is an ``argparse.Namespace`` of every option (with ``arch``) or a
``DictConfig`` whose ``_name`` is the arch. fairseq 0.9 and earlier keep ``args``: one
Namespace of every option, with ``arch``, ``task`` and ``criterion`` naming the choices.
After :func:`~seqx.compat.fairseq.pickles.load_fairseq` both are plain dicts.
"""

from __future__ import annotations

from typing import Any

from seqx.errors import SeqxError

SECTIONS = ("model", "task", "criterion", "optimizer", "lr_scheduler", "dataset")
"""The sections seqx reads."""

CHOOSING = {"task": "task", "criterion": "criterion", "optimizer": "optimizer"}
"""Section -> the flat option that names its choice in ``args``."""


def option_sections(state: dict[str, Any], path: str) -> dict[str, dict[str, Any]]:
    """Each section's options (with ``_name`` naming its choice where there is one)."""
    cfg = state.get("cfg")
    args = state.get("args")
    out: dict[str, dict[str, Any]] = {}
    if isinstance(cfg, dict):
        out = {k: dict(v) for k, v in cfg.items() if k in SECTIONS and isinstance(v, dict)}
    if isinstance(args, dict):
        for section in SECTIONS:
            merged = dict(args)
            if section in CHOOSING and args.get(CHOOSING[section]) is not None:
                merged["_name"] = args[CHOOSING[section]]
            merged.update(out.get(section) or {})
            out[section] = merged
    if "model" not in out or "task" not in out:
        raise SeqxError(
            f"'{path}' records no fairseq options (neither 'cfg' nor 'args'): it is not a "
            "checkpoint fairseq-train wrote"
        )
    return out


def arch_of(model: dict[str, Any]) -> str:
    """The ``--arch`` of a checkpoint's model options."""
    arch = model.get("arch") or model.get("_name")
    if not isinstance(arch, str):
        raise SeqxError("the checkpoint's model options name no --arch")
    return arch


def num_updates(state: dict[str, Any]) -> int:
    """The updates fairseq had made when it wrote ``state``."""
    history = state.get("optimizer_history") or [{}]
    return int(history[-1].get("num_updates") or 0)
