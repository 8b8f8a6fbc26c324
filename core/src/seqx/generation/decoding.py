"""Setting up decoding: seed, device, the checkpoints' models, ``--amp`` and ``--int8``."""

from __future__ import annotations

import os
from typing import Any

from seqx.errors import SeqxError


def autocast(device: Any, enabled: bool) -> Any:
    """The autocast context of ``--amp`` for decoding on ``device``."""
    import contextlib

    import torch

    if not enabled:
        return contextlib.nullcontext()
    dtype = torch.float16 if device.type == "cuda" else torch.bfloat16
    return torch.autocast(device.type, dtype=dtype)


def load_for_decoding(cfg: Any, pm: Any, dataset_format: str | None) -> tuple[Any, Any]:
    """Seed, pick the device and load ``--path``'s models, prepared for inference (see
    ``BaseModel.prepare_for_inference_``): returns (device, Loaded)."""
    import torch

    from seqx.hub import load_model_ensemble
    from seqx.models.int8_linear import quantize_linear_layers_
    from seqx.models.packed_linear import pack_linear_layers_, packed_linear_available
    from seqx.training.rng import set_seed

    if not cfg.path:
        raise SeqxError("give the checkpoint to decode with: --path CHECKPOINT")
    set_seed(cfg.seed)
    device = torch.device("cuda" if torch.cuda.is_available() and not cfg.cpu else "cpu")
    loaded = load_model_ensemble(
        cfg.path.split(os.pathsep),
        data=cfg.data,
        pm=pm,
        device=device,
        dataset_format=dataset_format,
        use_ema=getattr(cfg, "use_ema", False),
    )
    int8 = getattr(cfg, "int8", False)
    if int8:
        check_int8(device)
    pack = getattr(cfg, "amp", False) and device.type == "cpu" and packed_linear_available()
    for model in loaded.models:
        prepare = getattr(model, "prepare_for_inference_", None)
        if callable(prepare):
            prepare()
        if model.training:
            continue
        if int8:
            quantize_linear_layers_(model)
        elif pack:  # bfloat16 under --amp: weights laid out once
            pack_linear_layers_(model)
    return device, loaded


def check_int8(device: Any) -> None:
    """Reject ``--int8`` where it cannot run, saying why."""
    from seqx.models.int8_linear import int8_linear_available

    if device.type != "cpu":
        raise SeqxError("--int8 runs on CPU: add --cpu, or leave --int8 out on CUDA")
    if not int8_linear_available():
        raise SeqxError(
            "--int8 needs PyTorch's oneDNN quantized linear operators "
            "(torch.ops.onednn.qlinear_pointwise), which this build lacks: leave --int8 out"
        )
