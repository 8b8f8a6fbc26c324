"""``LSTMLanguageModel``: fairseq's ``lstm_lm``, an LSTM decoder without an encoder."""

from __future__ import annotations

from typing import Any

from seqx.errors import ConfigError
from seqx.models import LanguageModel
from seqx.models.adaptive_softmax import parse_cutoff
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
    def build_model(cls, cfg: LSTMLanguageModelConfig, task: Any) -> LSTMLanguageModel:
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
        if max_positions is None:
            task_cfg = getattr(task, "cfg", None)
            max_positions = getattr(task_cfg, "tokens_per_sample", None) or DEFAULT_MAX_POSITIONS
        embed = build_embedding(
            dictionary,
            cfg.decoder_embed_dim,
            cfg.decoder_embed_path,
            cfg.decoder_freeze_embed,
            "--decoder-embed-path",
        )
        assert cfg.decoder_hidden_size is not None
        assert cfg.decoder_dropout_in is not None and cfg.decoder_dropout_out is not None
        decoder = LSTMDecoder(
            dictionary,
            embed,
            hidden_size=cfg.decoder_hidden_size,
            out_embed_dim=cfg.decoder_out_embed_dim,
            num_layers=cfg.decoder_layers,
            dropout_in=cfg.decoder_dropout_in,
            dropout_out=cfg.decoder_dropout_out,
            attention=False,
            encoder_output_units=0,
            share_input_output_embed=cfg.share_decoder_input_output_embed,
            residuals=cfg.residuals,
            max_positions=max_positions,
            adaptive_softmax_cutoff=cutoff,
        )
        return cls(cfg, decoder)
