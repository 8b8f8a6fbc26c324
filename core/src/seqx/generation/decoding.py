"""Setting up decoding: seed, device, the checkpoints' models, ``--amp`` and ``--int8``."""

from __future__ import annotations

import os
from typing import TYPE_CHECKING

from seqx.errors import SeqxError
from seqx.generation.config import DecodingConfig

if TYPE_CHECKING:
    import torch

    from seqx.hub import Loaded
    from seqx.models.base_model import EncoderDecoderModel
    from seqx.plugins import PluginManager


def load_for_decoding(
    cfg: DecodingConfig, data: str, pm: PluginManager, dataset_format: str | None
) -> tuple[torch.device, Loaded]:
    """Seed, pick the device and load ``--path``'s models on the data folder ``data``,
    converted for inference (:func:`seqx.inference.convert.convert_for_decoding`): returns
    (device, Loaded)."""
    from seqx.devices import pick_device
    from seqx.hub import load_model_ensemble
    from seqx.inference.convert import convert_for_decoding
    from seqx.rng import set_seed

    if not cfg.path:
        raise SeqxError("give the checkpoint to decode with: --path CHECKPOINT")
    set_seed(cfg.seed)
    device = pick_device(cfg.cpu)
    loaded = load_model_ensemble(
        cfg.path.split(os.pathsep),
        data=data,
        pm=pm,
        device=device,
        dataset_format=dataset_format,
        use_ema=cfg.use_ema,
    )
    for model in loaded.models:
        convert_for_decoding(model, device, amp=cfg.amp, int8=cfg.int8)
    return device, loaded


def encoder_decoder_models(loaded: Loaded, command: str) -> list[EncoderDecoderModel]:
    """``loaded``'s models, which ``command`` decodes as encoder-decoder models; an error
    naming the checkpoint's model otherwise (a language model)."""
    from seqx.models.base_model import EncoderDecoderModel

    out = []
    for model in loaded.models:
        if not isinstance(model, EncoderDecoderModel):
            task = loaded.run_config.sections["task"].name
            raise SeqxError(
                f"seqx {command} translates with encoder-decoder models; this checkpoint holds "
                f"a {type(model).__name__} trained with task '{task}': score it with "
                "seqx eval-lm"
            )
        out.append(model)
    return out
