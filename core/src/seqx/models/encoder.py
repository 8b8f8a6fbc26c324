"""``Encoder``: source tokens to an encoder output the decoder attends to."""

from __future__ import annotations

from typing import Any

import torch
from torch import Tensor, nn

from seqx.models.incremental_state import reorder_batch


class Encoder(nn.Module):
    """Base class of encoders (fairseq's ``FairseqEncoder``)."""

    def __init__(self, dictionary: Any) -> None:
        super().__init__()
        self.dictionary = dictionary

    def forward(self, src_tokens: Tensor, src_lengths: Tensor | None = None, **kwargs: Any) -> Any:
        """Encode ``src_tokens`` (B x T)."""
        raise NotImplementedError

    def reorder_encoder_out(self, encoder_out: Any, new_order: Tensor) -> Any:
        """Select batch rows ``new_order`` of ``encoder_out`` (beam search).

        The default reorders every tensor along dimension 0 (batch first);
        an encoder whose output is laid out otherwise overrides this.
        """
        return reorder_batch(encoder_out, new_order)

    def max_positions(self) -> int | None:
        """The longest source the encoder accepts (None: no limit)."""
        return None

    def upgrade_state_dict_named(self, state_dict: dict[str, Tensor], name: str) -> None:
        """Migrate ``state_dict`` entries under ``name`` saved by an older version."""

    def set_num_updates(self, num_updates: int) -> None:
        """Told the number of updates so far (for schedules inside the model)."""

    @torch.jit.unused
    def extra_repr(self) -> str:
        return f"vocab={len(self.dictionary) if self.dictionary is not None else None}"
