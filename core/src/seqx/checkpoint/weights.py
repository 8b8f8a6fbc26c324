"""Loading a checkpoint's weights into a model, with errors that say what does not fit."""

from __future__ import annotations

from typing import Any

from torch import Tensor

from seqx.checkpoint.format import recorded_arch
from seqx.errors import SeqxError
from seqx.models.base_model import BaseModel


def load_model_weights(
    model: BaseModel,
    state: dict[str, Any],
    path: str,
    *,
    use_ema: bool = False,
    arch: str | None = None,
) -> dict[str, Tensor]:
    """Load ``state``'s model weights (or the moving average of ``--ema-decay`` with
    ``use_ema``) into ``model``, upgraded by ``model.upgrade_state_dict``; returns the
    loaded weights. ``arch`` names what ``model`` was built as, for the error message."""
    if use_ema and "ema" not in state:
        raise SeqxError(
            f"checkpoint '{path}' has no moving average of the weights: it was trained "
            "without --store-ema (or --ema-decay); leave out --use-ema"
        )
    weights = model.upgrade_state_dict(dict(state["ema" if use_ema else "model"]))
    _check_vocabulary(path, weights, model)
    try:
        model.load_state_dict(weights)
    except RuntimeError as exc:
        now = f"--arch {arch}" if arch else f"model '{type(model).__name__}'"
        raise SeqxError(
            f"checkpoint '{path}' does not fit this model: it was trained with --arch "
            f"{recorded_arch(state)} and its options, and this builds {now} "
            f"({str(exc).splitlines()[0]}); use a matching --arch, its options, or another "
            "checkpoint"
        ) from None
    return weights


def _check_vocabulary(path: str, saved: dict[str, Tensor], model: BaseModel) -> None:
    current = model.state_dict()
    for key, tensor in saved.items():
        if "embed_tokens" in key and key in current and current[key].shape[0] != tensor.shape[0]:
            raise SeqxError(
                f"checkpoint '{path}' was trained with a dictionary of {tensor.shape[0]} symbols "
                f"but the data folder's has {current[key].shape[0]}: use the data folder the "
                "model was trained on"
            )
