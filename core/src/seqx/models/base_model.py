"""Model classes: ``BaseModel`` and the encoder-decoder, encoder-only and LM shapes."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar

import torch
from torch import Tensor, nn

from seqx.errors import SeqxError
from seqx.models.decoder import Decoder
from seqx.models.encoder import Encoder

if TYPE_CHECKING:
    from seqx.tasks.task import Task


class BaseModel(nn.Module):
    """A model built from its typed config and the task (``build_model``)."""

    fused_loss: ClassVar[bool] = False
    """Whether the model offers the criterions' fused loss: its scores are
    ``decoder.output_layer`` of ``extract_features`` with a plain softmax, so a criterion may
    project only the non-padding target positions and compute the loss from their logits
    in one pass (:mod:`seqx.criterions.fused`). A model that changes that path (its own
    ``forward``, normalization or targets) leaves it False; an adaptive softmax turns it
    off by itself. ``ModelConformance`` checks that both paths give the same loss."""

    @classmethod
    def build_model(cls, cfg: Any, task: Task) -> BaseModel:
        """Build a model from its config dataclass ``cfg`` and the ``task``."""
        raise NotImplementedError(f"{cls.__name__} must implement build_model(cfg, task)")

    @classmethod
    def from_pretrained(
        cls,
        model_name_or_path: str,
        checkpoint_file: str = "model.pt",
        data_name_or_path: str = ".",
        **kwargs: Any,
    ) -> Any:
        """fairseq's ``Model.from_pretrained``: :func:`seqx.hub.from_pretrained`, refusing
        a checkpoint of another model."""
        from seqx.hub import from_pretrained

        hub = from_pretrained(model_name_or_path, checkpoint_file, data_name_or_path, **kwargs)
        for model in hub.models:
            if not isinstance(model, cls):
                raise SeqxError(
                    f"{checkpoint_file} in '{model_name_or_path}' holds a "
                    f"{type(model).__name__}, not a {cls.__name__}; load it with "
                    "seqx.hub.from_pretrained"
                )
        return hub

    def get_normalized_probs(
        self, net_output: tuple[Tensor, Any], log_probs: bool, sample: Any = None
    ) -> Tensor:
        """(Log-)probabilities over the vocabulary from ``net_output``'s scores."""
        decoder = getattr(self, "decoder", None)
        if isinstance(decoder, Decoder):
            return decoder.get_normalized_probs(net_output, log_probs, sample)
        # a model may return its scores alone (a classifier) or with extras
        logits = net_output if torch.is_tensor(net_output) else net_output[0]
        if log_probs:
            return torch.log_softmax(logits, -1, dtype=torch.float32)
        return torch.softmax(logits, -1, dtype=torch.float32)

    def get_targets(self, sample: dict[str, Any], net_output: Any) -> Tensor:
        """The targets the scores are compared with."""
        return sample["target"]

    def max_positions(self) -> Any:
        """The longest input the model accepts (None: no limit)."""
        return None

    def upgrade_state_dict(self, state_dict: dict[str, Tensor]) -> dict[str, Tensor]:
        """Migrate a state dict saved by an older version of this model."""
        for name, module in self.named_modules():
            upgrade = getattr(module, "upgrade_state_dict_named", None)
            if upgrade is not None and module is not self:
                upgrade(state_dict, name)
        return state_dict

    def prepare_for_inference_(self) -> None:
        """Make the model fast to decode with, in place and for good: evaluation mode, and
        every parametrization (weight normalization) folded into a plain weight.

        Decoding then reads each weight as it is instead of recomputing it at every step,
        and mixed precision casts it once instead of at every call (its cast cache keeps
        only leaf parameters). The state dict loses the parametrizations' tensors
        (``weight_g``/``weight_v`` become ``weight``): a model prepared so is for decoding,
        not for further training. Override to add model-specific steps (call ``super``).
        """
        from torch.nn.utils import parametrize

        self.eval()
        for module in list(self.modules()):
            if not parametrize.is_parametrized(module):
                continue
            with torch.no_grad():
                names = list(module.parametrizations)  # type: ignore[arg-type]
                values = {n: getattr(module, n).detach().clone() for n in names}
            # back to the plain class by hand: torch's remove_parametrizations deletes the
            # property from the parametrized class, which a deep copy of the model shares
            module.__class__ = module.__class__.__bases__[0]
            del module.parametrizations
            for name, value in values.items():
                module.register_parameter(name, nn.Parameter(value))

    def set_num_updates(self, num_updates: int) -> None:
        """Tell every submodule the number of updates so far."""
        for module in self.modules():
            setter = getattr(module, "set_num_updates", None)
            if module is not self and callable(setter):
                setter(num_updates)


class EncoderDecoderModel(BaseModel):
    """An encoder and a decoder that attends to it (fairseq's ``FairseqEncoderDecoderModel``)."""

    def __init__(self, encoder: Encoder, decoder: Decoder) -> None:
        super().__init__()
        self.encoder = encoder
        self.decoder = decoder

    def forward(
        self,
        src_tokens: Tensor,
        src_lengths: Tensor,
        prev_output_tokens: Tensor,
        features_only: bool = False,
        **kwargs: Any,
    ) -> tuple[Tensor, dict[str, Any]]:
        """Teacher-forced scores for every target position (the decoder's hidden states
        instead with ``features_only``)."""
        encoder_out = self.encoder(src_tokens, src_lengths=src_lengths, **kwargs)
        if features_only:
            kwargs["features_only"] = True
        return self.decoder(prev_output_tokens, encoder_out=encoder_out, **kwargs)

    def forward_decoder(self, prev_output_tokens: Tensor, **kwargs: Any) -> Any:
        """Run only the decoder."""
        return self.decoder(prev_output_tokens, **kwargs)

    def extract_features(
        self, src_tokens: Tensor, src_lengths: Tensor, prev_output_tokens: Tensor, **kwargs: Any
    ) -> Any:
        """Decoder features without the output projection."""
        encoder_out = self.encoder(src_tokens, src_lengths=src_lengths, **kwargs)
        return self.decoder.extract_features(prev_output_tokens, encoder_out=encoder_out, **kwargs)

    def max_positions(self) -> tuple[int | None, int | None]:
        return self.encoder.max_positions(), self.decoder.max_positions()

    def max_decoder_positions(self) -> int | None:
        """The longest target the decoder accepts."""
        return self.decoder.max_positions()


class EncoderModel(BaseModel):
    """An encoder alone, e.g. for classification (fairseq's ``FairseqEncoderModel``)."""

    def __init__(self, encoder: Encoder) -> None:
        super().__init__()
        self.encoder = encoder

    def forward(self, src_tokens: Tensor, src_lengths: Tensor, **kwargs: Any) -> Any:
        return self.encoder(src_tokens, src_lengths, **kwargs)

    def max_positions(self) -> int | None:
        return self.encoder.max_positions()


class LanguageModel(BaseModel):
    """A decoder alone (fairseq's ``FairseqLanguageModel``)."""

    def __init__(self, decoder: Decoder) -> None:
        super().__init__()
        self.decoder = decoder

    def forward(self, src_tokens: Tensor, **kwargs: Any) -> tuple[Tensor, dict[str, Any]]:
        return self.decoder(src_tokens, **kwargs)

    def forward_decoder(self, prev_output_tokens: Tensor, **kwargs: Any) -> Any:
        return self.decoder(prev_output_tokens, **kwargs)

    def max_positions(self) -> int | None:
        return self.decoder.max_positions()
