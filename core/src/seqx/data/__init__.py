"""Data: dictionaries, datasets, batching and iteration (fairseq's layouts and names).

``from seqx.data import Dictionary, LanguagePairDataset`` imports them on first use,
so that importing the package stays light.
"""

from typing import Any

_EXPORTS = {
    "BaseWrapperDataset": "seqx.data.wrapper_dataset",
    "ConcatDataset": "seqx.data.concat_dataset",
    "Dataset": "seqx.data.dataset",
    "ResamplingDataset": "seqx.data.resampling_dataset",
    "RoundRobinZipDatasets": "seqx.data.round_robin_zip_datasets",
    "TransformEosDataset": "seqx.data.transform_eos_dataset",
    "Dictionary": "seqx.data.dictionary",
    "LanguagePairDataset": "seqx.data.language_pair_dataset",
    "EpochBatchIterator": "seqx.data.iterators",
    "MonolingualDataset": "seqx.data.monolingual_dataset",
    "TokenBlockDataset": "seqx.data.token_block_dataset",
    "iter_lines": "seqx.data.lines",
    "read_lines": "seqx.data.lines",
}

__all__ = sorted(_EXPORTS)


def __getattr__(name: str) -> Any:
    if name in _EXPORTS:
        import importlib

        return getattr(importlib.import_module(_EXPORTS[name]), name)
    raise AttributeError(f"module 'seqx.data' has no attribute '{name}'")
