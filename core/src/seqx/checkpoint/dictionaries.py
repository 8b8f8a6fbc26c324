"""The dictionaries a checkpoint was trained with: recorded, and compared on every load.

A checkpoint keeps, under ``dictionaries``, each dictionary of the task it was trained
with (``source``, ``target``): its size, fingerprint
(:meth:`seqx.data.dictionary.Dictionary.fingerprint`) and file. Loading the checkpoint
for decoding, resuming or fine-tuning compares them with the dictionaries of the data
folder in use: a folder whose dictionary has the same size but other symbols (the
usual case with a fixed ``--nwordssrc`` or ``--bpe-vocab-size``) would decode into
garbage without a word, so it is an error naming both.
"""

from __future__ import annotations

from typing import Any

from seqx.errors import SeqxError


def task_dictionaries(task: Any) -> dict[str, Any]:
    """The task's dictionaries by role (``source``, ``target``), those it has."""
    out = {}
    for role in ("source", "target"):
        d = getattr(task, f"{role}_dictionary")
        if d is not None and hasattr(d, "fingerprint"):
            out[role] = d
    return out


def dictionary_records(task: Any) -> dict[str, dict[str, Any]]:
    """What a checkpoint records of ``task``'s dictionaries."""
    return {
        role: {"symbols": len(d), "fingerprint": d.fingerprint(), "file": d.file}
        for role, d in task_dictionaries(task).items()
    }


def check_dictionaries(path: str, state: dict[str, Any], task: Any) -> None:
    """Refuse ``task``'s dictionaries when they are not those checkpoint ``path`` recorded
    (checkpoints without the record are checked by size alone, when weights load)."""
    recorded = state.get("dictionaries") or {}
    for role, d in task_dictionaries(task).items():
        saved = recorded.get(role)
        if not saved or saved.get("fingerprint") == d.fingerprint():
            continue
        now = f"'{d.file}'" if d.file else "the data folder's"
        raise SeqxError(
            f"checkpoint '{path}' was trained with another {role} dictionary than {now} "
            f"({saved.get('symbols')} symbols, fingerprint {saved.get('fingerprint')}, from "
            f"'{saved.get('file')}'; this one: {len(d)} symbols, fingerprint "
            f"{d.fingerprint()}): give the data folder the model was trained on"
        )
