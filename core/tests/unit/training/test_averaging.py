import pytest
import torch

from seqx.checkpoint.files import save_state
from seqx.cli.main import main
from seqx.errors import SeqxError
from seqx.training.averaging import average_checkpoints, last_checkpoints


def write(folder, name, value, steps=3):
    state = {
        "model": {"w": torch.full((2, 2), float(value)), "steps": torch.tensor(steps)},
        "trainer": {"num_updates": int(value)},
    }
    save_state(state, str(folder / name))


def test_averages_the_last_update_checkpoints(tmp_path):
    for updates in (2, 4, 6, 8):
        write(tmp_path, f"checkpoint_1_{updates}.pt", updates)
    write(tmp_path, "checkpoint1.pt", 100)
    paths = last_checkpoints(str(tmp_path), 3, by_updates=True)
    assert [p.rsplit("/", 1)[1] for p in paths] == [
        "checkpoint_1_8.pt",
        "checkpoint_1_6.pt",
        "checkpoint_1_4.pt",
    ]
    state = average_checkpoints(paths)
    assert torch.equal(state["model"]["w"], torch.full((2, 2), 6.0))
    assert state["model"]["steps"].item() == 3 and state["trainer"]["num_updates"] == 8
    bounded = last_checkpoints(str(tmp_path), 2, by_updates=True, upper_bound=5)
    assert [p.rsplit("/", 1)[1] for p in bounded] == ["checkpoint_1_4.pt", "checkpoint_1_2.pt"]


def test_the_command_writes_a_safe_checkpoint(tmp_path, capsys):
    for epoch in (1, 2, 3):
        write(tmp_path, f"checkpoint{epoch}.pt", epoch)
    out = tmp_path / "avg.pt"
    with pytest.raises(SystemExit) as exc:
        main(
            [
                "average-checkpoints",
                "--inputs",
                str(tmp_path),
                "--num-epoch-checkpoints",
                "2",
                "--output",
                str(out),
            ]
        )
    assert exc.value.code == 0
    state = torch.load(out, weights_only=True)
    assert torch.equal(state["model"]["w"], torch.full((2, 2), 2.5))
    assert state["averaged_from"] == ["checkpoint3.pt", "checkpoint2.pt"]
    assert "averaged 2 checkpoints" in capsys.readouterr().out


def test_too_few_or_mismatched_checkpoints(tmp_path):
    write(tmp_path, "checkpoint1.pt", 1)
    with pytest.raises(SeqxError, match="fewer than the 2 asked for"):
        last_checkpoints(str(tmp_path), 2, by_updates=False)
    save_state({"model": {"v": torch.zeros(1)}}, str(tmp_path / "other.pt"))
    with pytest.raises(SeqxError, match="other parameters"):
        average_checkpoints([str(tmp_path / "checkpoint1.pt"), str(tmp_path / "other.pt")])


def test_a_pickled_payload_is_refused(tmp_path):
    import pickle

    class Payload:
        def __reduce__(self):
            return (open, (str(tmp_path / "created-by-unpickling"), "w"))

    (tmp_path / "evil.pt").write_bytes(b"")
    torch.save(
        {"model": {"w": torch.zeros(1)}, "x": Payload()}, tmp_path / "evil.pt", pickle_module=pickle
    )
    with pytest.raises(SeqxError, match="pickled Python objects"):
        average_checkpoints([str(tmp_path / "evil.pt")])
    assert not (tmp_path / "created-by-unpickling").exists()


def test_zero_checkpoints_is_an_error(tmp_path, capsys):
    write(tmp_path, "checkpoint1.pt", 1)
    with pytest.raises(SystemExit) as exc:
        main(["average-checkpoints", "--inputs", str(tmp_path), "--num-epoch-checkpoints", "0",
              "--output", str(tmp_path / "avg.pt")])  # fmt: skip
    assert exc.value.code != 0
    assert "at least 1" in capsys.readouterr().err
    assert not (tmp_path / "avg.pt").exists()
