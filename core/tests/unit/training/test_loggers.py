import sys
import types

import pytest

from seqx.errors import SeqxError
from seqx.training.loggers import TensorBoardLog, WandbLog


class FakeWriter:
    made: list["FakeWriter"] = []

    def __init__(self, logdir):
        self.logdir, self.scalars, self.closed = logdir, [], False
        FakeWriter.made.append(self)

    def add_scalar(self, key, value, step):
        self.scalars.append((key, value, step))

    def flush(self):
        pass

    def close(self):
        self.closed = True


def test_tensorboard_gets_the_numeric_stats_per_tag(monkeypatch, tmp_path, seqx_plugins):
    fake = types.ModuleType("torch.utils.tensorboard")
    fake.SummaryWriter = FakeWriter
    monkeypatch.setitem(sys.modules, "torch.utils.tensorboard", fake)
    log = TensorBoardLog(str(tmp_path))
    seqx_plugins.pm.register(log)  # as a run does
    seqx_plugins.pm.hook.seqx_log(stats={"loss": 2.5, "lr": 0.1, "note": "x"}, tag="valid", step=7)
    writer = FakeWriter.made[-1]
    assert writer.logdir == str(tmp_path / "valid")
    assert sorted(writer.scalars) == [("loss", 2.5, 7), ("lr", 0.1, 7)]
    log.close()
    assert writer.closed


def test_missing_packages_are_named(monkeypatch):
    monkeypatch.setitem(sys.modules, "torch.utils.tensorboard", None)
    with pytest.raises(SeqxError, match="pip install tensorboard"):
        TensorBoardLog("x")
    monkeypatch.setitem(sys.modules, "wandb", None)
    with pytest.raises(SeqxError, match="pip install wandb"):
        WandbLog("project", {})
