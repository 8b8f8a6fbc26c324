"""Model interfaces (import torch): ``from seqx.models import EncoderDecoderModel``."""

from seqx.devices import autocast_dtype
from seqx.models.base_model import BaseModel, EncoderDecoderModel, EncoderModel, LanguageModel
from seqx.models.decoder import Decoder, IncrementalDecoder
from seqx.models.dropout import dropout
from seqx.models.encoder import Encoder
from seqx.models.incremental_state import (
    BeamCache,
    IncrementalState,
    SentenceCache,
    encoder_cache,
    sentence_cache,
    sentence_group,
)
from seqx.models.tied_linear import TiedLinear

__all__ = [
    "BaseModel",
    "BeamCache",
    "Decoder",
    "Encoder",
    "EncoderDecoderModel",
    "EncoderModel",
    "IncrementalDecoder",
    "IncrementalState",
    "LanguageModel",
    "SentenceCache",
    "TiedLinear",
    "autocast_dtype",
    "dropout",
    "encoder_cache",
    "sentence_cache",
    "sentence_group",
]
