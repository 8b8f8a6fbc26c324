"""``LSTMLanguageModel``: fairseq's ``lstm_lm``, an LSTM decoder without an encoder."""

from __future__ import annotations

from seqx.errors import ConfigError
from seqx.models import LanguageModel
from seqx.models.adaptive_softmax import parse_cutoff
from seqx.tasks import Task
from seqx_lstm.config import LSTMLanguageModelConfig
from seqx_lstm.decoder import LSTMDecoder
from seqx_lstm.embedding import build_embedding

DEFAULT_MAX_POSITIONS = 100000
"""fairseq's limit when neither the model nor the task sets one."""


class LSTMLanguageModel(LanguageModel):
    """An LSTM language model: stacked LSTM layers over the previous tokens."""

    def __init__(self, cfg: LSTMLanguageModelConfig, decoder: LSTMDecoder) -> None:
        super().__init__(decoder)
        self.cfg = cfg

    @classmethod
    def build_model(cls, cfg: LSTMLanguageModelConfig, task: Task) -> LSTMLanguageModel:
        dictionary = task.target_dictionary
        cutoff = None
        if cfg.adaptive_softmax_cutoff:
            cutoff = parse_cutoff(
                cfg.adaptive_softmax_cutoff, len(dictionary), "--adaptive-softmax-cutoff"
            )
        if cfg.share_decoder_input_output_embed and (
            cfg.decoder_out_embed_dim != cfg.decoder_embed_dim
        ):
            raise ConfigError(
                "--share-decoder-input-output-embed needs --decoder-out-embed-dim = "
                "--decoder-embed-dim"
            )
        max_positions = cfg.max_target_positions
        if max_positions is None:  # the task's limit (a language-modeling task's sample length)
            limit = task.max_positions()
            max_positions = limit if isinstance(limit, int) else DEFAULT_MAX_POSITIONS
        embed = build_embedding(
            dictionary,
            cfg.decoder_embed_dim,
            cfg.decoder_embed_path,
            cfg.decoder_freeze_embed,
            "--decoder-embed-path",
        )
        dropout_in, dropout_out = cfg.decoder_dropouts
        decoder = LSTMDecoder(
            dictionary,
            embed,
            hidden_size=cfg.decoder_hidden,
            out_embed_dim=cfg.decoder_out_embed_dim,
            num_layers=cfg.decoder_layers,
            dropout_in=dropout_in,
            dropout_out=dropout_out,
            attention=False,
            encoder_output_units=0,
            share_input_output_embed=cfg.share_decoder_input_output_embed,
            residuals=cfg.residuals,
            max_positions=max_positions,
            adaptive_softmax_cutoff=cutoff,
        )
        return cls(cfg, decoder)
