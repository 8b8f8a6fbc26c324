"""The tutorial's ``SimpleLSTMModel``."""

from seqx.models import EncoderDecoderModel
from seqx_tutorial_simple_lstm.encoder import SimpleLSTMEncoder
from seqx_tutorial_simple_lstm.incremental_decoder import SimpleLSTMDecoder


class SimpleLSTMModel(EncoderDecoderModel):
    @classmethod
    def build_model(cls, args, task):
        # ``args`` is this model's config (SimpleLSTMConfig); the encoder also reads the
        # task's options (left_pad_source)
        encoder = SimpleLSTMEncoder(
            args=task.cfg,
            dictionary=task.source_dictionary,
            embed_dim=args.encoder_embed_dim,
            hidden_dim=args.encoder_hidden_dim,
            dropout=args.encoder_dropout,
        )
        decoder = SimpleLSTMDecoder(
            dictionary=task.target_dictionary,
            encoder_hidden_dim=args.encoder_hidden_dim,
            embed_dim=args.decoder_embed_dim,
            hidden_dim=args.decoder_hidden_dim,
            dropout=args.decoder_dropout,
        )
        return cls(encoder, decoder)
