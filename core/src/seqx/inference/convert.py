"""``convert_for_decoding``: a loaded model made fast to decode with, by the flags given."""

from __future__ import annotations

import torch

from seqx.errors import SeqxError
from seqx.models.base_model import BaseModel


def check_int8(device: torch.device) -> None:
    """Reject ``--int8`` where it cannot run, saying why."""
    from seqx.inference.int8_linear import int8_linear_available

    if device.type != "cpu":
        raise SeqxError("--int8 runs on CPU: add --cpu, or leave --int8 out on CUDA")
    if not int8_linear_available():
        raise SeqxError(
            "--int8 needs PyTorch's oneDNN quantized linear operators "
            "(torch.ops.onednn.qlinear_pointwise), which this build lacks: leave --int8 out"
        )


def convert_for_decoding(
    model: BaseModel, device: torch.device, *, amp: bool, int8: bool
) -> list[str]:
    """Prepare ``model`` for inference, in place, and apply the converters the flags ask
    for; returns their names. ``--int8`` quantizes the linear layers; ``--amp`` on CPU packs
    them for oneDNN's bfloat16 kernels (same numbers as autocast)."""
    from seqx.inference.int8_linear import quantize_linear_layers_
    from seqx.inference.packed_linear import pack_linear_layers_, packed_linear_available

    if int8:
        check_int8(device)
    model.prepare_for_inference_()
    if model.training:  # a model whose preparation keeps it training is left as it is
        return []
    if int8:
        quantize_linear_layers_(model)
        return ["int8"]
    if amp and device.type == "cpu" and packed_linear_available():
        pack_linear_layers_(model)  # bfloat16 weights laid out once
        return ["packed-bfloat16"]
    return []
