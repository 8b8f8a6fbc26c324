"""Registers the FConv model and its archs (light: import strings only)."""

from seqx import hookimpl
from seqx_fconv.archs import ARCHS


@hookimpl
def seqx_register(registry):
    registry.model(
        "fconv",
        "seqx_fconv.model:FConvModel",
        config="seqx_fconv.config:FConvConfig",
        help="Convolutional sequence to sequence (Gehring et al., 2017; fairseq's FConvModel).",
    )
    registry.archs("fconv", ARCHS)
    registry.fairseq_adapter(
        "fconv",
        "seqx_fconv.fairseq:FConvAdapter",
        help="Imports and exports fairseq's fconv checkpoints.",
    )
