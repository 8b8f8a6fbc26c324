"""``Task``: dictionaries, datasets, batch iterators and the train/valid steps."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import torch
from torch import nn

from seqx.data.batching import batch_by_size
from seqx.data.iterators import EpochBatchIterator
from seqx.data.numpy_seed import numpy_seed
from seqx.errors import SeqxError

if TYPE_CHECKING:
    from seqx.criterions.criterion import Criterion
    from seqx.generation.sequence_generator import SequenceGenerator
    from seqx.models.base_model import EncoderDecoderModel


def resolve_max_positions(*limits: Any) -> Any:
    """The elementwise minimum of position limits (None means no limit)."""
    result: Any = None
    for limit in limits:
        if limit is None:
            continue
        if result is None:
            result = limit
        elif isinstance(limit, (int, float)) and isinstance(result, (int, float)):
            result = min(result, limit)
        else:
            a = result if isinstance(result, tuple) else (result, result)
            b = limit if isinstance(limit, tuple) else (limit, limit)
            result = tuple(y if x is None else x if y is None else min(x, y) for x, y in zip(a, b))
    return result


class Task:
    """Base class of tasks (fairseq's ``FairseqTask``), built by ``setup_task(cfg, ...)``."""

    def __init__(self, cfg: Any) -> None:
        self.cfg = cfg
        self.datasets: dict[str, Any] = {}

    @classmethod
    def setup_task(cls, cfg: Any, **kwargs: Any) -> Task:
        """Build the task (load dictionaries) from its config."""
        return cls(cfg)

    @property
    def source_dictionary(self) -> Any:
        return None

    @property
    def target_dictionary(self) -> Any:
        return None

    def load_dataset(
        self, split: str, epoch: int = 1, combine: bool = False, **kwargs: Any
    ) -> None:
        """Load ``split`` into ``self.datasets``."""
        raise NotImplementedError

    def dataset(self, split: str) -> Any:
        """A loaded split."""
        if split not in self.datasets:
            raise SeqxError(f"split '{split}' is not loaded; load_dataset('{split}') first")
        return self.datasets[split]

    def has_sharded_data(self, split: str) -> bool:
        """Whether ``split`` comes in shards, one per epoch (``DATA1:DATA2``)."""
        return False

    def max_positions(self) -> Any:
        """The longest inputs the task allows (None: no limit)."""
        return None

    def build_model(self, cfg: Any, model_cls: type) -> Any:
        """Build a model of ``model_cls`` from its config."""
        return model_cls.build_model(cfg, self)  # type: ignore[attr-defined]

    def build_criterion(self, cfg: Any, criterion_cls: type) -> Any:
        """Build a criterion of ``criterion_cls`` from its config."""
        return criterion_cls(cfg, self)

    def get_batch_iterator(
        self,
        dataset: Any,
        max_tokens: int | None = None,
        max_sentences: int | None = None,
        max_positions: Any = None,
        ignore_invalid_inputs: bool = False,
        required_batch_size_multiple: int = 1,
        seed: int = 1,
        num_shards: int = 1,
        shard_id: int = 0,
        num_workers: int = 0,
        epoch: int = 1,
        split: str = "",
        log: Any = None,
    ) -> EpochBatchIterator:
        """Batches of ``dataset`` by size, too-long examples filtered, as an epoch iterator."""
        dataset.set_epoch(epoch)
        with numpy_seed(seed, epoch):
            indices = dataset.ordered_indices()
        if max_positions is not None:
            limits = max_positions if isinstance(max_positions, tuple) else (max_positions,)
            indices, ignored = dataset.filter_indices_by_size(
                indices,
                limits,
                skip=ignore_invalid_inputs,
                describe=lambda i: f"{split or 'dataset'} example {i}",
            )
            if len(ignored) and log is not None:
                log(
                    f"skipped {len(ignored)} {split} examples longer than max positions "
                    f"{limits}, e.g. example {int(ignored[0])}"
                )
        batches = batch_by_size(
            indices,
            dataset.num_tokens_vec(indices),
            max_tokens=max_tokens,
            max_sentences=max_sentences,
            required_batch_size_multiple=required_batch_size_multiple,
        )
        return EpochBatchIterator(
            dataset,
            dataset.collater,
            batches,
            seed=seed,
            num_shards=num_shards,
            shard_id=shard_id,
            num_workers=num_workers,
            epoch=epoch,
        )

    def train_step(
        self,
        sample: dict[str, Any],
        model: nn.Module,
        criterion: Criterion,
        optimizer: Any,
        update_num: int,
        ignore_grad: bool = False,
    ) -> tuple[torch.Tensor, int, dict[str, Any]]:
        """Forward and backward on one batch."""
        model.train()
        model.set_num_updates(update_num)  # type: ignore[operator]
        loss, sample_size, logging_output = criterion(model, sample)
        if ignore_grad:
            loss = loss * 0
        optimizer.backward(loss)
        return loss, sample_size, logging_output

    def valid_step(
        self, sample: dict[str, Any], model: nn.Module, criterion: Criterion
    ) -> tuple[torch.Tensor, int, dict[str, Any]]:
        """Loss on one validation batch."""
        model.eval()
        with torch.no_grad():
            return criterion(model, sample)

    def inference_step(
        self,
        generator: SequenceGenerator,
        models: list[EncoderDecoderModel],
        sample: dict[str, Any],
        prefix_tokens: torch.Tensor | None = None,
    ) -> list[list[dict[str, Any]]]:
        """Generate hypotheses for ``sample``."""
        with torch.no_grad():
            return generator.generate(models, sample, prefix_tokens=prefix_tokens)

    def reduce_metrics(
        self, logging_outputs: list[dict[str, Any]], criterion: Any
    ) -> dict[str, float]:
        """Aggregate logging outputs into the stats that are logged."""
        return type(criterion).reduce_metrics(logging_outputs)
