"""Objects of a ``--plugin-dir`` plugin reach DataLoader workers started by spawn."""

import textwrap

import torch
from torch.utils.data import DataLoader

from seqx.plugins import load_plugins

PLUGIN = """
    import torch
    from torch.utils.data import Dataset

    from seqx import hookimpl


    class Squares(Dataset):
        def __len__(self):
            return 6

        def __getitem__(self, i):
            return torch.tensor(i * i)


    @hookimpl
    def seqx_register(registry):
        registry.dataset_format("squares", ":Squares", help="Squares (test).")
"""


def test_dataset_from_plugin_dir_in_spawned_workers(tmp_path, monkeypatch):
    monkeypatch.delenv("SEQX_PLUGIN_PATH", raising=False)
    (tmp_path / "squares_plugin.py").write_text(textwrap.dedent(PLUGIN))
    pm = load_plugins(plugin_dirs=[str(tmp_path)], autoload=False)
    dataset = pm.registry.get("dataset_format", "squares").load()()
    assert type(dataset).__module__.startswith("seqx.local_plugins.")
    loader = DataLoader(dataset, batch_size=3, num_workers=2, multiprocessing_context="spawn")
    batches = [b.tolist() for b in loader]
    assert batches == [[0, 1, 4], [9, 16, 25]]
    assert torch.is_tensor(next(iter(loader)))
