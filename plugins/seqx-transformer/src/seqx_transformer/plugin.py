"""Registers the Transformer and its archs (light: import strings only)."""

from seqx import hookimpl
from seqx_transformer.archs import ARCHS


@hookimpl
def seqx_register(registry):
    registry.model(
        "transformer",
        "seqx_transformer.model:TransformerModel",
        config="seqx_transformer.config:TransformerConfig",
        help="Transformer encoder-decoder (Vaswani et al., 2017).",
    )
    registry.archs("transformer", ARCHS)
    registry.fairseq_adapter(
        "transformer",
        "seqx_transformer.fairseq:TransformerAdapter",
        help="Imports and exports fairseq's transformer checkpoints.",
    )
