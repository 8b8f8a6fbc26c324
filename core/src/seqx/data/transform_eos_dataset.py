"""``TransformEosDataset``: appends or removes the end-of-sentence symbol of the source or
the target of another dataset's examples as they are collated (fairseq's)."""

from __future__ import annotations

from typing import Any

import torch

from seqx.data.wrapper_dataset import BaseWrapperDataset


class TransformEosDataset(BaseWrapperDataset):
    """``dataset``'s examples ({"source", "target"}) with ``eos`` appended or removed."""

    def __init__(
        self,
        dataset: Any,
        eos: int,
        append_eos_to_src: bool = False,
        remove_eos_from_src: bool = False,
        append_eos_to_tgt: bool = False,
        remove_eos_from_tgt: bool = False,
        has_target: bool = True,
    ) -> None:
        super().__init__(dataset)
        if append_eos_to_src and remove_eos_from_src:
            raise ValueError("cannot both append the eos to the source and remove it")
        if append_eos_to_tgt and remove_eos_from_tgt:
            raise ValueError("cannot both append the eos to the target and remove it")
        self.eos = eos
        self.src_change = int(append_eos_to_src) - int(remove_eos_from_src)
        self.tgt_change = int(append_eos_to_tgt) - int(remove_eos_from_tgt)
        self.has_target = has_target

    def _transform(self, tokens: torch.Tensor, change: int, side: str, index: Any) -> torch.Tensor:
        if change == 0:
            return tokens
        ends = bool(len(tokens)) and int(tokens[-1]) == self.eos
        if ends != (change < 0):
            have = "ends" if ends else "does not end"
            raise ValueError(f"the {side} of example {index} {have} with the eos ({self.eos})")
        if change > 0:
            return torch.cat([tokens, tokens.new_tensor([self.eos])])
        return tokens[:-1]

    def collater(self, samples: list[Any]) -> dict[str, Any]:
        out = []
        for s in samples:
            s = dict(s)
            s["source"] = self._transform(s["source"], self.src_change, "source", s.get("id"))
            if self.has_target and s.get("target") is not None:
                s["target"] = self._transform(s["target"], self.tgt_change, "target", s.get("id"))
            out.append(s)
        return self.dataset.collater(out)

    def size(self, index: int) -> Any:
        if not self.has_target:
            return self.dataset.size(index)
        src, tgt = self.dataset.size(index)
        return src + self.src_change, tgt + self.tgt_change
