import errno
import os
import pickle

import pytest
import torch

from seqx.checkpoint.files import atomic_write, load_state, save_state
from seqx.errors import SeqxError


def test_round_trip_with_weights_only(tmp_path):
    path = str(tmp_path / "c.pt")
    save_state({"model": {"w": torch.ones(2)}, "trainer": {"num_updates": 3}}, path)
    assert torch.load(path, weights_only=True)["trainer"]["num_updates"] == 3
    assert load_state(path)["model"]["w"].sum().item() == 2
    assert os.listdir(tmp_path) == ["c.pt"]


def test_a_truncated_checkpoint_is_named(tmp_path):
    path = tmp_path / "c.pt"
    save_state({"model": {"w": torch.ones(1000)}}, str(path))
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])
    with pytest.raises(SeqxError, match="truncated or corrupted"):
        load_state(str(path))


def test_a_pickled_payload_creates_nothing(tmp_path):
    marker = tmp_path / "created-by-unpickling"

    class Payload:
        def __reduce__(self):
            return (open, (str(marker), "w"))

    path = tmp_path / "evil.pt"
    torch.save({"model": {}, "extra": Payload()}, path, pickle_module=pickle)
    with pytest.raises(SeqxError, match="pickled Python objects"):
        load_state(str(path))
    assert not marker.exists()


def test_a_save_dir_that_is_a_file(tmp_path):
    (tmp_path / "ck").write_text("not a folder")
    with pytest.raises(SeqxError, match="is a file, not a folder"):
        save_state({"model": {}}, str(tmp_path / "ck" / "checkpoint_last.pt"))


def test_a_full_disk_keeps_the_previous_checkpoint(tmp_path):
    path = str(tmp_path / "checkpoint_last.pt")
    save_state({"model": {"w": torch.zeros(1)}}, path)

    def full(f):
        f.write(b"partial")
        raise OSError(errno.ENOSPC, "No space left on device")

    with pytest.raises(SeqxError, match="the disk is full.*previous file is intact"):
        atomic_write(path, full)
    assert load_state(path)["model"]["w"].item() == 0
    assert os.listdir(tmp_path) == ["checkpoint_last.pt"]  # no temporary left behind


def test_torchs_write_failure_is_named_without_a_traceback(tmp_path):
    path = str(tmp_path / "checkpoint_last.pt")

    def failing(f):  # what torch.save raises when the disk fills under its zip writer
        raise RuntimeError(
            "[enforce fail at inline_container.cc:783] . PytorchStreamWriter failed writing "
            "file data/0: file write failed"
        )

    with pytest.raises(SeqxError, match=r"could not write .*previous file is intact"):
        atomic_write(path, failing)
    with pytest.raises(RuntimeError, match="unrelated"):  # other errors stay errors
        atomic_write(path, lambda f: (_ for _ in ()).throw(RuntimeError("unrelated")))


def test_what_is_not_a_checkpoint_is_named(tmp_path):
    (tmp_path / "random.pt").write_bytes(bytes(range(256)) * 4)
    with pytest.raises(SeqxError, match="is not a checkpoint \\(not a file torch.save writes"):
        load_state(str(tmp_path / "random.pt"))
    with pytest.raises(SeqxError, match="is a folder; give a checkpoint file in it"):
        load_state(str(tmp_path))
    save_state({"model": {"w": torch.zeros(100)}}, str(tmp_path / "c.pt"))
    data = (tmp_path / "c.pt").read_bytes()
    (tmp_path / "c.pt").write_bytes(data[: len(data) // 2])
    with pytest.raises(SeqxError, match="is truncated or corrupted"):
        load_state(str(tmp_path / "c.pt"))


def test_copies_are_independent_of_later_saves(tmp_path):
    from seqx.checkpoint.files import copy_atomic

    first = str(tmp_path / "checkpoint_1_2.pt")
    last = str(tmp_path / "checkpoint_last.pt")
    save_state({"model": {"w": torch.zeros(1)}}, first)
    copy_atomic(first, last)
    save_state({"model": {"w": torch.ones(1)}}, last)  # a later save replaces the name
    assert load_state(first)["model"]["w"].item() == 0
    assert load_state(last)["model"]["w"].item() == 1
    assert sorted(os.listdir(tmp_path)) == ["checkpoint_1_2.pt", "checkpoint_last.pt"]


def test_files_get_the_usual_permissions(tmp_path):
    mask = os.umask(0o022)
    try:
        save_state({"model": {}}, str(tmp_path / "c.pt"))
    finally:
        os.umask(mask)
    assert (tmp_path / "c.pt").stat().st_mode & 0o777 == 0o644
