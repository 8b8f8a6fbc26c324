"""Setting up decoding: seed, device, the checkpoints' models, ``--amp`` and ``--int8``."""

from __future__ import annotations

import os
from typing import TYPE_CHECKING, Any

from seqx.errors import SeqxError
from seqx.generation.config import DecodingConfig

if TYPE_CHECKING:
    import torch

    from seqx.hub import Loaded
    from seqx.models.base_model import EncoderDecoderModel
    from seqx.plugins import PluginManager


def load_for_decoding(
    cfg: DecodingConfig, data: str, pm: PluginManager, dataset_format: str | None, command: str
) -> tuple[torch.device, Loaded]:
    """Seed, pick the device and load ``--path``'s models on the data folder ``data``,
    converted for inference (:func:`seqx.inference.convert.convert_for_decoding`): returns
    (device, Loaded). ``command`` (``generate``, ``interactive``, ``eval-lm``) decides
    which kind of model it accepts, checked before the data folder is read."""
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
        expect=lambda model_cls, task, path: _expect(command, model_cls, task, path),
        overrides=model_overrides(cfg),
    )
    dtype = _half_dtype(cfg)
    for model in loaded.models:
        convert_for_decoding(model, device, amp=cfg.amp, int8=cfg.int8)
        if dtype is not None:
            model.to(dtype)
    return device, loaded


def _half_dtype(cfg: DecodingConfig) -> torch.dtype | None:
    """The dtype --fp16/--bf16 cast the models to (None: they stay float32)."""
    import torch

    chosen = [flag for flag, on in (("--fp16", cfg.fp16), ("--bf16", cfg.bf16)) if on]
    if not chosen:
        return None
    others = [flag for flag, on in (("--amp", cfg.amp), ("--int8", cfg.int8)) if on]
    if len(chosen) > 1 or others:
        raise SeqxError(f"choose one of {', '.join(chosen + others)}: each sets the precision")
    return torch.float16 if cfg.fp16 else torch.bfloat16


def model_overrides(cfg: DecodingConfig) -> dict[str, Any]:
    """``--model-overrides`` as a dict, with ``-s``/``-t`` when given."""
    import ast

    try:
        out = ast.literal_eval(cfg.model_overrides)
    except (ValueError, SyntaxError):
        out = None
    if not isinstance(out, dict) or not all(isinstance(k, str) for k in out):
        raise SeqxError(
            f"--model-overrides {cfg.model_overrides!r} is not a Python dict of option names "
            "to values, such as \"{'max_source_positions': 2048}\""
        )
    for key, value in (("source_lang", cfg.source_lang), ("target_lang", cfg.target_lang)):
        if value is not None:
            out[key] = value
    return out


def _expect(command: str, model_cls: type, task: str | None, path: str) -> None:
    """Refuse a checkpoint whose model ``command`` does not decode."""
    from seqx.models.base_model import EncoderDecoderModel, LanguageModel

    encoder_decoder = issubclass(model_cls, EncoderDecoderModel)
    if command == "eval-lm" and not issubclass(model_cls, LanguageModel):
        raise SeqxError(
            f"checkpoint '{path}' holds a {model_cls.__name__} trained with task '{task}': "
            "seqx eval-lm scores language models (--task language_modeling); use seqx "
            "generate for translation"
        )
    if command != "eval-lm" and not encoder_decoder:
        raise SeqxError(
            f"seqx {command} translates with encoder-decoder models; checkpoint '{path}' holds "
            f"a {model_cls.__name__} trained with task '{task}': score it with seqx eval-lm"
        )


def encoder_decoder_models(loaded: Loaded, command: str) -> list[EncoderDecoderModel]:
    """``loaded``'s models, which ``command`` decodes as encoder-decoder models (checked
    when they were loaded: see ``load_for_decoding``)."""
    from seqx.models.base_model import EncoderDecoderModel

    out = []
    for model in loaded.models:
        if not isinstance(model, EncoderDecoderModel):
            raise SeqxError(f"seqx {command} needs encoder-decoder models")
        out.append(model)
    return out
