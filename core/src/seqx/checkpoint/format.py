"""What a checkpoint holds, assembling a new one, and upgrading older ones.

A checkpoint (format version :data:`FORMAT_VERSION`) is a dict with:

``format_version``, ``seqx_version``
    the format and the core version that wrote it;
``config``
    the run's resolved configuration as plain data, one section per key
    (``{"_name": ..., "_arch": ..., field: value}``), as in ``config.json``;
``components``
    per section, the chosen component's name, plugin, distribution and version;
``model``, ``ema``
    the model's state dict (float32 under ``--fp16``/``--bf16``), and the moving
    average of ``--ema-decay`` when kept;
``optimizer``, ``lr_scheduler``
    their state dicts;
``dictionaries``
    each dictionary's size, fingerprint and file (:mod:`seqx.checkpoint.dictionaries`);
``trainer``
    the training loop's state: updates, epoch, iterator position, best metric,
    patience, RNG states, running sums (absent in a checkpoint imported from another
    toolkit, which records where it came from under ``imported``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from seqx.errors import SeqxError
from seqx.version import __version__

if TYPE_CHECKING:
    from seqx.plugins import PluginManager

FORMAT_VERSION = 1
"""The format this core writes and reads; older ones are upgraded by plugins' hooks."""


def build_state(
    *,
    config: dict[str, Any],
    components: dict[str, Any],
    model: dict[str, Any],
    optimizer: dict[str, Any],
    lr_scheduler: dict[str, Any],
    trainer: dict[str, Any] | None,
    ema: dict[str, Any] | None = None,
    dictionaries: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """A checkpoint of the current format from its parts (plain data and tensors only)."""
    return {
        "format_version": FORMAT_VERSION,
        "seqx_version": __version__,
        "config": config,
        "components": components,
        "model": model,
        **({"ema": ema} if ema is not None else {}),
        "optimizer": optimizer,
        "lr_scheduler": lr_scheduler,
        **({"trainer": trainer} if trainer is not None else {}),
        **({"dictionaries": dictionaries} if dictionaries is not None else {}),
    }


def recorded_arch(state: dict[str, Any]) -> str | None:
    """The ``--arch`` (or model name) a checkpoint was trained with, if recorded."""
    model = (state.get("config") or {}).get("model") or {}
    return model.get("_arch") or model.get("_name")


def upgrade(state: dict[str, Any], pm: PluginManager, path: str) -> dict[str, Any]:
    """Bring ``state`` to :data:`FORMAT_VERSION` through the ``seqx_upgrade_checkpoint``
    hook, one version at a time; an error when no plugin can."""
    version = state.get("format_version")
    while version != FORMAT_VERSION:
        new = pm.hook.seqx_upgrade_checkpoint(state=state)
        if new is None or new.get("format_version") == version:
            raise SeqxError(
                f"checkpoint '{path}' has format version {version} (this seqx reads "
                f"{FORMAT_VERSION}) and no plugin upgrades it"
            )
        state, version = new, new.get("format_version")
    return state
