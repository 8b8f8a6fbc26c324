"""Training that can be trusted: exact resume, checkpoint policy, resets (CLI in subprocesses)."""

import contextlib
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
import torch

from seqx.testing.cli import run_seqx as seqx
from seqx.testing.cli import tiny_data_bin

FAULTS = Path(__file__).parent / "fault_plugins"  # criterions that fail on purpose

TRAIN = [
    "--arch",
    "transformer_tiny",
    "--encoder-embed-dim",
    "32",
    "--encoder-ffn-embed-dim",
    "64",
    "--dropout",
    "0.2",
    "--share-all-embeddings",
    "--optimizer",
    "adam",
    "--lr",
    "0.005",
    "--lr-scheduler",
    "inverse_sqrt",
    "--warmup-updates",
    "10",
    "--criterion",
    "label_smoothed_cross_entropy",
    "--label-smoothing",
    "0.1",
    "--batch-size",
    "8",
    "--update-freq",
    "2",
    "--num-workers",
    "0",
    "--log-format",
    "simple",
    "--seed",
    "5",
]


def logged_losses(stderr: str) -> dict[int, str]:
    """num_updates -> the printed loss of every train_inner line."""
    out = {}
    for line in stderr.splitlines():
        if "loss=" in line and "num_updates=" in line:
            updates = int(line.split("num_updates=")[1].split(",")[0])
            out[updates] = line.split("loss=")[1].split(",")[0]
    return out


def weights(path):
    return torch.load(path, weights_only=True)["model"]


def assert_same_model(a, b):
    wa, wb = weights(a), weights(b)
    assert wa.keys() == wb.keys()
    for key in wa:
        assert torch.equal(wa[key], wb[key]), key


@pytest.fixture(scope="module")
def data(tmp_path_factory):
    return tiny_data_bin(tmp_path_factory.mktemp("resume"), train=300, valid=20, seed=4)


@pytest.fixture(scope="module")
def uninterrupted(data, tmp_path_factory):
    save = tmp_path_factory.mktemp("straight")
    proc = seqx(
        "train",
        data,
        *TRAIN,
        "--max-update",
        "14",
        "--save-interval-updates",
        "3",
        "--log-interval",
        "4",
        "--save-dir",
        save,
    )
    return save, proc.stderr


def test_resume_mid_epoch_repeats_the_uninterrupted_run(data, uninterrupted, tmp_path):
    straight, log = uninterrupted
    args = ("train", data, *TRAIN, "--save-interval-updates", "3", "--log-interval", "4")
    first = seqx(*args, "--max-update", "6", "--save-dir", tmp_path)
    state = torch.load(tmp_path / "checkpoint_last.pt", weights_only=True)
    assert state["trainer"]["train_iterator"]["iterations_in_epoch"] == 12  # mid-epoch
    second = seqx(*args, "--max-update", "14", "--save-dir", tmp_path)
    assert "restored" in second.stderr and "(6 updates)" in second.stderr
    expected = logged_losses(log)
    resumed = {**logged_losses(first.stderr), **logged_losses(second.stderr)}
    assert 8 in expected and 12 in expected  # the sums over updates 5-8 cross the restart
    assert resumed == expected
    assert_same_model(straight / "checkpoint_last.pt", tmp_path / "checkpoint_last.pt")


def test_kill_9_then_rerun_ends_with_the_same_model(data, uninterrupted, tmp_path):
    straight, _ = uninterrupted
    cmd = [sys.executable, "-m", "seqx", "train", str(data), *TRAIN, "--max-update", "14"]
    cmd += ["--save-interval-updates", "3", "--log-interval", "4", "--save-dir", str(tmp_path)]
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 120
    while not (tmp_path / "checkpoint_last.pt").exists() and time.monotonic() < deadline:
        time.sleep(0.05)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    assert (tmp_path / "checkpoint_last.pt").exists()
    rerun = seqx("train", *cmd[4:])
    assert "restored" in rerun.stderr
    assert_same_model(straight / "checkpoint_last.pt", tmp_path / "checkpoint_last.pt")


def test_interval_checkpoints_are_named_and_pruned(data, tmp_path):
    seqx(
        "train",
        data,
        *TRAIN,
        "--max-update",
        "9",
        "--save-interval-updates",
        "2",
        "--keep-interval-updates",
        "2",
        "--keep-best-checkpoints",
        "1",
        "--save-dir",
        tmp_path,
    )
    names = set(os.listdir(tmp_path))
    interval = sorted(n for n in names if n.startswith("checkpoint_1_"))
    assert interval == ["checkpoint_1_6.pt", "checkpoint_1_8.pt"]
    assert len([n for n in names if n.startswith("checkpoint.best_loss_")]) == 1
    assert {"checkpoint_best.pt", "checkpoint_last.pt"} <= names


def test_patience_stops_training(data, tmp_path):
    proc = seqx(
        "train",
        data,
        *TRAIN,
        "--lr",
        "0",
        "--max-update",
        "40",
        "--validate-interval-updates",
        "1",
        "--patience",
        "2",
        "--best-checkpoint-metric",
        "loss",
        "--maximize-best-checkpoint-metric",
        "--no-save",
        "--save-dir",
        tmp_path,
    )
    assert "(--patience)" in proc.stderr


def test_reset_and_finetune_flags(data, uninterrupted, tmp_path):
    straight, _ = uninterrupted
    # fine-tuning starts from the weights only: a fresh optimizer and 0 updates
    proc = seqx(
        "train",
        data,
        *TRAIN,
        "--max-update",
        "2",
        "--finetune-from-model",
        straight / "checkpoint_last.pt",
        "--save-dir",
        tmp_path / "ft",
    )
    assert "to fine-tune" in proc.stderr
    state = torch.load(tmp_path / "ft" / "checkpoint_last.pt", weights_only=True)
    assert state["trainer"]["num_updates"] == 2
    bad = seqx(
        "train",
        data,
        *TRAIN,
        "--finetune-from-model",
        straight / "checkpoint_last.pt",
        "--reset-optimizer",
        "--save-dir",
        tmp_path / "ft2",
        check=False,
    )
    assert bad.returncode != 0 and "drop --reset-optimizer" in bad.stderr
    # --reset-dataloader keeps the updates but starts the data at epoch 1, batch 0
    proc = seqx(
        "train",
        data,
        *TRAIN,
        "--max-update",
        "15",
        "--restore-file",
        straight / "checkpoint_last.pt",
        "--reset-dataloader",
        "--reset-optimizer",
        "--save-dir",
        tmp_path / "rd",
    )
    state = torch.load(tmp_path / "rd" / "checkpoint_last.pt", weights_only=True)
    assert state["trainer"]["num_updates"] == 15
    assert state["trainer"]["train_iterator"]["iterations_in_epoch"] == 2


def test_missing_restore_file_is_an_error(data, tmp_path):
    proc = seqx(
        "train",
        data,
        *TRAIN,
        "--restore-file",
        tmp_path / "nope.pt",
        "--save-dir",
        tmp_path,
        check=False,
    )
    assert (
        proc.returncode != 0 and "--restore-file" in proc.stderr and "Traceback" not in proc.stderr
    )


def test_checkpoint_of_another_architecture(data, uninterrupted, tmp_path):
    straight, _ = uninterrupted
    proc = seqx(
        "train",
        data,
        *TRAIN,
        "--encoder-embed-dim",
        "48",
        "--restore-file",
        straight / "checkpoint_last.pt",
        "--save-dir",
        tmp_path,
        check=False,
    )
    assert proc.returncode != 0 and "does not fit this model" in proc.stderr
    assert "Traceback" not in proc.stderr


def test_nonfinite_updates_are_skipped_then_stop_training(data, tmp_path):

    args = [sys.executable, "-m", "seqx", "train", str(data), "--plugin-dir", str(FAULTS)]
    args += [*TRAIN, "--criterion", "nan_at", "--update-freq", "1", "--save-interval-updates"]
    args += ["2", "--max-nonfinite-updates", "2"]

    def run(calls, save_dir):
        env = {**os.environ, "NAN_CALLS": calls}
        cmd = [*args, "--max-update", "6", "--save-dir", str(tmp_path / save_dir)]
        return subprocess.run(cmd, capture_output=True, text=True, env=env)

    skipped = run("3,4", "a")  # two bad updates in a row: skipped, training goes on
    assert skipped.returncode == 0, skipped.stderr
    assert "skipped update 3: the gradient norm is nan (1 in a row" in skipped.stderr
    assert "skipped update 3: the gradient norm is nan (2 in a row, 2 in all)" in skipped.stderr
    state = torch.load(tmp_path / "a" / "checkpoint_last.pt", weights_only=True)
    assert state["trainer"]["num_updates"] == 6 and state["trainer"]["nonfinite"] == 2
    assert all(torch.isfinite(t).all() for t in state["model"].values())
    stopped = run("5,6,7", "b")  # three in a row: stop, naming the last good checkpoint
    assert stopped.returncode != 0 and "Traceback" not in stopped.stderr
    assert "3 updates in a row had a NaN or inf" in stopped.stderr
    assert f"The last good checkpoint is {tmp_path / 'b' / 'checkpoint_last.pt'}" in stopped.stderr


@pytest.mark.parametrize(
    ("group", "ranks"),
    [(False, 1), (True, 1), (True, 2)],
    ids=["main-process", "process-group", "process-group-two-ranks"],
)
def test_sigterm_saves_at_the_update_boundary_and_resumes(data, tmp_path, group, ranks):
    cmd = [sys.executable, "-m", "seqx", "train", str(data), *TRAIN, "--max-update", "100000"]
    cmd += ["--log-interval", "1", "--save-dir", str(tmp_path), "--nproc-per-node", str(ranks)]
    if group:  # as a scheduler or Ctrl-C signals: DataLoader workers get it too
        cmd += ["--num-workers", "2"]
    proc = subprocess.Popen(
        cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, start_new_session=group
    )
    assert proc.stderr is not None
    for line in proc.stderr:  # wait for the third update
        if "num_updates=3," in line:
            break
    if group:
        os.killpg(proc.pid, signal.SIGTERM)
    else:
        proc.send_signal(signal.SIGTERM)
    err = proc.stderr.read()
    assert proc.wait(timeout=120) == 128 + signal.SIGTERM, err
    assert "stopped by SIGTERM after update" in err and "Traceback" not in err
    updates = int(err.split("stopped by SIGTERM after update ")[1].split(":")[0])
    state = torch.load(tmp_path / "checkpoint_last.pt", weights_only=True)
    assert state["trainer"]["num_updates"] == updates >= 3
    again = seqx(
        "train", data, *TRAIN, "--max-update", updates + 1, "--save-dir", tmp_path,
        "--nproc-per-node", ranks,
    )  # fmt: skip
    assert f"({updates} updates)" in again.stderr


def _children(pid: int) -> list[int]:
    with open(f"/proc/{pid}/task/{pid}/children") as f:
        return [int(p) for p in f.read().split()]


def _two_ranks_at_update_3(data, tmp_path):
    cmd = [sys.executable, "-m", "seqx", "train", str(data), *TRAIN, "--max-update", "100000"]
    cmd += ["--log-interval", "1", "--save-dir", str(tmp_path), "--nproc-per-node", "2"]
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    assert proc.stderr is not None
    for line in proc.stderr:
        if "num_updates=3," in line:
            break
    return proc


@pytest.mark.parametrize("late", [False, True], ids=["launcher-only", "late-copy"])
def test_the_launchers_copy_of_a_signal_asks_to_stop(data, tmp_path, late):
    """A signal sent to the launcher alone reaches every rank; a rank that got the signal
    itself takes the launcher's copy as the same request however late it comes (a loaded
    machine delays it by seconds), so every rank saves and ends, none is interrupted."""
    proc = _two_ranks_at_update_3(data, tmp_path)
    if late:
        ranks = _children(proc.pid)
        assert len(ranks) == 2
        for pid in ranks:
            os.kill(pid, signal.SIGTERM)
        time.sleep(1.5)  # more than ECHO_SECONDS: the launcher's stand-in for SIGTERM
        for pid in ranks:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGUSR1)
    else:
        proc.send_signal(signal.SIGTERM)
    assert proc.stderr is not None
    err = proc.stderr.read()
    assert proc.wait(timeout=120) == 128 + signal.SIGTERM, err
    assert err.count("stopped by SIGTERM after update") == 2 and "Traceback" not in err
    assert (tmp_path / "checkpoint_last.pt").is_file()


def test_update_freq_zero_and_max_tokens_below_the_longest_example(data, tmp_path):
    proc = seqx("train", data, *TRAIN, "--update-freq", "0", "--save-dir", tmp_path, check=False)
    assert proc.returncode != 0 and "--update-freq must be at least 1" in proc.stderr
    assert "Traceback" not in proc.stderr
    proc = seqx("train", data, *TRAIN, "--max-tokens", "3", "--save-dir", tmp_path, check=False)
    assert proc.returncode != 0 and "--max-tokens 3" in proc.stderr
    assert "Traceback" not in proc.stderr


def test_restore_file_with_a_pickled_payload(data, tmp_path):
    import pickle

    marker = tmp_path / "created-by-unpickling"

    class Payload:
        def __reduce__(self):
            return (open, (str(marker), "w"))

    torch.save({"model": {}, "x": Payload()}, tmp_path / "evil.pt", pickle_module=pickle)
    proc = seqx(
        "train",
        data,
        *TRAIN,
        "--restore-file",
        tmp_path / "evil.pt",
        "--save-dir",
        tmp_path / "ck",
        check=False,
    )
    assert proc.returncode != 0 and "pickled Python objects" in proc.stderr
    assert not marker.exists()


def test_save_dir_that_is_a_file(data, tmp_path):
    (tmp_path / "ck").write_text("")
    proc = seqx(
        "train", data, *TRAIN, "--max-update", "1", "--save-dir", tmp_path / "ck", check=False
    )
    assert proc.returncode != 0 and "is a file" in proc.stderr and "Traceback" not in proc.stderr


def test_fp16_overflows_lower_the_scale_and_too_low_a_scale_stops(data, tmp_path):
    proc = seqx(
        "train",
        data,
        *TRAIN,
        "--fp16",
        "--fp16-init-scale",
        "1e9",
        "--max-update",
        "3",
        "--save-dir",
        tmp_path / "a",
    )
    assert "overflow at update 1: the update is skipped and the loss scale lowered to 5e+08" in (
        proc.stderr
    )
    state = torch.load(tmp_path / "a" / "checkpoint_last.pt", weights_only=True)
    assert state["trainer"]["num_updates"] == 3
    assert state["model"]["encoder.layers.0.ffn.fc1.weight"].dtype == torch.float32
    assert state["optimizer"]["loss_scaler"]["scale"] < 1e9

    env = {**os.environ, "NAN_CALLS": ",".join(map(str, range(1, 50)))}
    cmd = [sys.executable, "-m", "seqx", "train", str(data), "--plugin-dir", str(FAULTS)]
    cmd += [*TRAIN, "--criterion", "nan_at", "--fp16", "--fp16-init-scale", "4"]
    cmd += ["--min-loss-scale", "1", "--max-update", "5", "--save-dir", str(tmp_path / "b")]
    stopped = subprocess.run(cmd, capture_output=True, text=True, env=env)
    assert stopped.returncode != 0 and "Traceback" not in stopped.stderr
    assert "the loss scale fell to 0.5, below --min-loss-scale 1" in stopped.stderr


def test_bf16_resume_is_exact(data, tmp_path):
    args = ("train", data, *TRAIN, "--bf16", "--save-interval-updates", "4", "--log-interval", "2")
    straight = seqx(*args, "--max-update", "8", "--save-dir", tmp_path / "a")
    seqx(*args, "--max-update", "4", "--save-dir", tmp_path / "b")
    resumed = seqx(*args, "--max-update", "8", "--save-dir", tmp_path / "b")
    tail = {k: v for k, v in logged_losses(straight.stderr).items() if k > 4}
    assert tail and logged_losses(resumed.stderr) == tail
    assert_same_model(tmp_path / "a" / "checkpoint_last.pt", tmp_path / "b" / "checkpoint_last.pt")


def test_ema_is_saved_resumed_and_decodes(data, tmp_path):
    args = ("train", data, *TRAIN, "--ema-decay", "0.9", "--save-interval-updates", "3")
    seqx(*args, "--max-update", "6", "--save-dir", tmp_path / "a")
    state = torch.load(tmp_path / "a" / "checkpoint_last.pt", weights_only=True)
    key = "encoder.layers.0.ffn.fc1.weight"
    assert state["ema"].keys() == state["model"].keys()
    assert not torch.equal(state["ema"][key], state["model"][key])
    # until --ema-start-update the average is the weights themselves
    seqx(*args, "--max-update", "4", "--ema-start-update", "5", "--save-dir", tmp_path / "b")
    state = torch.load(tmp_path / "b" / "checkpoint_last.pt", weights_only=True)
    assert torch.equal(state["ema"][key], state["model"][key])
    # resumed at update 3, the average ends as in the uninterrupted run
    seqx(*args, "--max-update", "3", "--save-dir", tmp_path / "c")
    seqx(*args, "--max-update", "6", "--save-dir", tmp_path / "c")
    a = torch.load(tmp_path / "a" / "checkpoint_last.pt", weights_only=True)["ema"]
    c = torch.load(tmp_path / "c" / "checkpoint_last.pt", weights_only=True)["ema"]
    assert all(torch.equal(a[k], c[k]) for k in a)
    common = ("--gen-subset", "valid", "--beam", "2", "--batch-size", "8", "--max-len-b", "5")
    out = seqx(
        "generate", data, "--path", tmp_path / "a" / "checkpoint_last.pt", "--use-ema", *common
    )
    assert "H-0\t" in out.stdout
    plain = tmp_path / "plain"
    seqx("train", data, *TRAIN, "--max-update", "1", "--save-dir", plain)
    bad = seqx(
        "generate", data, "--path", plain / "checkpoint_last.pt", "--use-ema", *common, check=False
    )
    assert bad.returncode != 0 and "without --store-ema" in bad.stderr


def test_out_of_memory_skips_the_update(data, tmp_path):

    cmd = [sys.executable, "-m", "seqx", "train", str(data), "--plugin-dir", str(FAULTS)]
    cmd += [*TRAIN, "--criterion", "oom_at", "--max-update", "3", "--save-dir", str(tmp_path / "c")]
    proc = subprocess.run(cmd, capture_output=True, text=True, env={**os.environ, "OOM_RANK": "0"})
    assert proc.returncode == 0, proc.stderr
    assert "out of memory on a batch" in proc.stderr and "the update is skipped (1 so far)" in (
        proc.stderr
    )
    state = torch.load(tmp_path / "c" / "checkpoint_last.pt", weights_only=True)
    assert state["trainer"]["num_updates"] == 3
