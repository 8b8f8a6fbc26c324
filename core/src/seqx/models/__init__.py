"""Model interfaces (import torch): ``from seqx.models import EncoderDecoderModel``."""

from seqx.models.base_model import BaseModel, EncoderDecoderModel, EncoderModel, LanguageModel
from seqx.models.decoder import Decoder, IncrementalDecoder, IncrementalState, autocast_dtype
from seqx.models.dropout import dropout
from seqx.models.encoder import Encoder
from seqx.models.packed_linear import TiedLinear

__all__ = [
    "BaseModel",
    "Decoder",
    "Encoder",
    "EncoderDecoderModel",
    "EncoderModel",
    "IncrementalDecoder",
    "IncrementalState",
    "LanguageModel",
    "TiedLinear",
    "autocast_dtype",
    "dropout",
]
