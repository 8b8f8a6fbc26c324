"""Training flags of fairseq's recipes, taken as fairseq takes them."""

import pytest

from seqx.testing.cli import run_seqx, tiny_data_bin

TINY = (
    "--arch", "transformer_tiny", "--encoder-embed-dim", "16", "--encoder-ffn-embed-dim",
    "32", "--optimizer", "adam", "--lr", "0.001", "--num-workers", "0", "--no-save",
)  # fmt: skip


@pytest.fixture(scope="module")
def data(tmp_path_factory):
    return tiny_data_bin(tmp_path_factory.mktemp("flags"), train=60, valid=8, seed=4)


def test_recipe_flags_run_with_their_meaning(data, tmp_path):
    proc = run_seqx(
        "train", data, *TINY, "--save-dir", tmp_path, "--max-sentences", "16",
        "--max-sentences-valid", "4", "--max-tokens-valid", "500", "--no-progress-bar",
        "--validate-interval-updates", "1", "--validate-after-updates", "3",
        "--max-update", "4", "--curriculum", "1", "--nprocs-per-node", "1",
        "--ddp-backend", "c10d", "--find-unused-parameters", "--local_rank", "0",
        "--memory-efficient-bf16", "--log-interval", "1",
    )  # fmt: skip
    err = proc.stderr
    valid = [line for line in err.splitlines() if "valid on 'valid'" in line]
    assert [int(v.split("num_updates ")[1].split()[0]) for v in valid] == [3, 4]
    assert "--memory-efficient-bf16 trains as --bf16" in err
    assert "bsz 16.0" in err or "bsz=16.0" in err  # --max-sentences is --batch-size
    assert "bsz 4.0" in valid[0]  # --max-sentences-valid
    assert "\r" not in err  # --no-progress-bar: lines, no bar


def test_dump_config_shows_the_aliases_land_on_seqxs_fields(data):
    import json

    proc = run_seqx(
        "train", data, *TINY, "--max-sentences", "16", "--nprocs-per-node", "2",
        "--local-rank", "1", "--dump-config",
    )  # fmt: skip
    cfg = json.loads(proc.stdout)
    assert cfg["dataset"]["batch_size"] == 16
    assert cfg["distributed"]["nproc_per_node"] == 2 and cfg["distributed"]["local_rank"] == 1


def test_fully_sharded_is_a_clear_error(data, tmp_path):
    proc = run_seqx(
        "train", data, *TINY, "--save-dir", tmp_path, "--ddp-backend", "fully_sharded",
        check=False,
    )  # fmt: skip
    assert proc.returncode == 1 and "fully_sharded (FSDP) is not available" in proc.stderr


def test_composite_optimizer_with_pass_through_trains_and_resumes(data, tmp_path):
    groups = (
        '{"default": {"optimizer": {"_name": "adam"}, "lr_scheduler": {"_name": '
        '"inverse_sqrt", "warmup_updates": 4}, "lr": [0.002]}}'
    )
    common = (
        "train", data, "--arch", "transformer_tiny", "--encoder-embed-dim", "16",
        "--encoder-ffn-embed-dim", "32", "--optimizer", "composite", "--groups", groups,
        "--lr-scheduler", "pass_through", "--num-workers", "0", "--save-dir", tmp_path,
        "--log-format", "simple", "--log-interval", "1", "--no-epoch-checkpoints",
        "--max-sentences", "16",
    )  # fmt: skip
    run_seqx(*common, "--max-update", "2")
    proc = run_seqx(*common, "--max-update", "3")
    assert "(2 updates)" in proc.stderr  # resumed with the composite optimizer's state
    assert "num_updates 3" in proc.stderr or "num_updates=3" in proc.stderr


def test_store_ema_with_fairseqs_ema_flags(data, tmp_path):
    import torch

    ema = ("--store-ema", "--ema-fp32", "--ema-update-freq", "2")
    plain = ("train", data, *TINY[:-1], "--no-epoch-checkpoints", "--batch-size", "16")
    args = (*plain, *ema)
    proc = run_seqx(*args, "--dump-config")
    assert '"ema_decay": 0.9999' in proc.stdout  # --store-ema alone: fairseq's decay
    run_seqx(*args, "--max-update", "2", "--save-dir", tmp_path / "a")
    seeded = tmp_path / "a" / "checkpoint_last.pt"
    # seeded from a's average; update 1 is not an --ema-update-freq 2 turn, so it stays
    run_seqx(*args, "--ema-seed-model", seeded, "--max-update", "1", "--save-dir", tmp_path / "b")
    a = torch.load(seeded, weights_only=True)
    b = torch.load(tmp_path / "b" / "checkpoint_last.pt", weights_only=True)
    assert all(torch.equal(a["ema"][k], b["ema"][k]) for k in a["ema"])
    assert any(not torch.equal(a["ema"][k], a["model"][k]) for k in a["ema"])
    run_seqx(*plain, "--max-update", "1", "--save-dir", tmp_path / "c")
    bad = run_seqx(
        *args, "--ema-seed-model", tmp_path / "c" / "checkpoint_last.pt", "--max-update", "1",
        "--save-dir", tmp_path / "d", check=False,
    )  # fmt: skip
    assert bad.returncode == 1 and "holds no moving average" in bad.stderr


def test_several_training_corpora_with_upsample_primary(tmp_path):
    import shutil

    data = tiny_data_bin(tmp_path, train=40, valid=6, seed=3)
    for f in data.glob("train.de-en.*"):
        shutil.copy(f, data / f.name.replace("train.", "train1."))
    for f in data.glob("valid.de-en.*"):  # a valid1 is its own subset, never joined
        shutil.copy(f, data / f.name.replace("valid.", "valid1."))
    args = ("train", data, *TINY, "--batch-size", "8", "--max-epoch", "1", "--log-format",
            "simple")  # fmt: skip

    def updates(*extra):
        err = run_seqx(*args, *extra).stderr
        line = next(x for x in err.splitlines() if x.startswith("epoch 001 | loss"))
        valid = next(x for x in err.splitlines() if "valid on 'valid'" in x)
        assert "bsz 6.0" in valid
        return int(line.split("num_updates ")[1].split()[0])

    assert updates() == 10  # train and train1: 80 pairs in batches of 8
    assert updates("--upsample-primary", "2") == 15  # train twice, then train1
