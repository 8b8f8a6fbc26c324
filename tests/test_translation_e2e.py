"""Raw text to BLEU through the installed plugins, on a tiny corpus (the CLI in subprocesses)."""

import json
import os

import pytest
import torch

from seqx.testing.cli import run_seqx as seqx
from seqx.testing.cli import tiny_data_bin

TRAIN = [
    "--arch",
    "transformer_tiny",
    "--encoder-embed-dim",
    "32",
    "--encoder-ffn-embed-dim",
    "64",
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
    "--max-tokens",
    "2048",
    "--num-workers",
    "0",
    "--log-format",
    "simple",
    "--log-interval",
    "5",
]


@pytest.fixture(scope="module")
def trained(tmp_path_factory):
    root = tmp_path_factory.mktemp("e2e")
    spm = ("--joined-dictionary", "--bpe", "sentencepiece", "--bpe-vocab-size", "120")
    tiny_data_bin(root, train=600, valid=40, test=30, seed=3, preprocess=spm)
    run = seqx("train", root / "bin", *TRAIN, "--max-update", "30", "--save-dir", root / "ck")
    return root, run.stderr


def test_training_logs_and_checkpoints(trained):
    root, log = trained
    assert "| valid on 'valid' subset | loss" in log
    assert "num_updates=" in log and "wps=" in log and "lr=" in log
    names = sorted(os.listdir(root / "ck"))
    assert {"checkpoint_best.pt", "checkpoint_last.pt", "config.json"} <= set(names)
    assert not [n for n in names if n.startswith(".tmp")]
    state = torch.load(root / "ck" / "checkpoint_last.pt", weights_only=True)
    assert state["trainer"]["num_updates"] == 30
    assert state["components"]["model"]["distribution"] == "seqx-transformer"
    assert state["config"]["model"]["_arch"] == "transformer_tiny"
    config = json.loads((root / "ck" / "config.json").read_text())
    assert config["model"]["encoder_embed_dim"] == 32
    assert config["task"]["source_lang"] == "de"  # inferred from the data folder


def test_training_lowers_the_validation_loss(trained):
    _, log = trained
    losses = [
        float(line.split("| loss ")[1].split()[0])
        for line in log.splitlines()
        if "valid on 'valid'" in line
    ]
    assert len(losses) >= 2 and losses[-1] < losses[0]


def test_generate_prints_fairseq_lines_and_scores(trained):
    root, _ = trained
    proc = seqx(
        "generate",
        root / "bin",
        "--path",
        root / "ck" / "checkpoint_best.pt",
        "--beam",
        "3",
        "--batch-size",
        "8",
        "--scoring",
        "sacrebleu",
        "--post-process",
        "sentencepiece",
    )
    lines = proc.stdout.splitlines()
    ids = sorted(int(line.split("\t")[0][2:]) for line in lines if line.startswith("S-"))
    assert ids == list(range(30))
    h = next(line for line in lines if line.startswith("H-")).split("\t")
    assert float(h[1]) <= 0 and "\u2581" not in h[2]
    assert any(line.startswith("P-") for line in lines)
    assert lines[-1].startswith("Generate test with beam=3: BLEU = ")
    assert "sentences/s" in proc.stderr and "tokens/s" in proc.stderr


def test_generate_with_amp_or_int8_agrees_with_float32(trained):
    root, _ = trained

    def hypotheses(*extra):
        proc = seqx(
            "generate", root / "bin", "--path", root / "ck" / "checkpoint_best.pt",
            "--beam", "3", "--batch-size", "8", "--max-len-b", "40", *extra,
        )  # fmt: skip
        return {
            line.split("\t")[0]: line.split("\t")[2]
            for line in proc.stdout.splitlines()
            if line.startswith("H-")
        }

    full = hypotheses()
    assert len(full) == 30
    for flags in (["--amp"], ["--int8"], ["--amp", "--int8"]):
        got = hypotheses(*flags)
        assert sorted(got) == sorted(full)
        same = sum(got[k] == full[k] for k in full)
        assert same >= 24, f"{' '.join(flags)} changed {30 - same} of 30 hypotheses"


def test_generate_in_worker_processes_gives_the_same_output(trained):
    root, _ = trained

    def run(*extra):
        return seqx(
            "generate", root / "bin", "--path", root / "ck" / "checkpoint_best.pt",
            "--beam", "3", "--batch-size", "4", "--max-len-b", "40", "--scoring", "sacrebleu",
            *extra,
        )  # fmt: skip

    one, two = run(), run("--decode-workers", "2")
    assert two.stdout == one.stdout  # every line, in the same order, and the same score
    assert "Translated 30 sentences" in two.stderr


def test_interactive_keeps_input_order(trained):
    root, _ = trained
    text = "Der Hund sieht den Ball.\nEin Kind kauft ein Buch.\nDie Frau malt das Bild.\n"
    proc = seqx(
        "interactive",
        root / "bin",
        "--path",
        root / "ck" / "checkpoint_best.pt",
        "--buffer-size",
        "2",
        "--beam",
        "2",
        input=text,
    )
    s_lines = [line for line in proc.stdout.splitlines() if line.startswith("S-")]
    assert [line.split("\t")[0] for line in s_lines] == ["S-0", "S-1", "S-2"]
    assert "\u2581Hund" in s_lines[0] or "Hund" in s_lines[0].replace("\u2581", "")
    d_lines = [line for line in proc.stdout.splitlines() if line.startswith("D-")]
    assert len(d_lines) == 3 and "\u2581" not in d_lines[0]


def test_score_sentence_bleu(tmp_path):
    (tmp_path / "sys").write_text("the cat sat\nhello world\n")
    (tmp_path / "ref").write_text("the cat sat\nhello there\n")
    proc = seqx("score", "--sys", tmp_path / "sys", "--ref", tmp_path / "ref", "--sentence-bleu")
    # fairseq's sentence BLEU: "N BLEU4 = S, ..." with every count starting at 1
    scores = [float(line.split(" = ")[1].split(",")[0]) for line in proc.stdout.splitlines()]
    assert scores[0] == pytest.approx(100.0) and scores[1] < 100
    bad = seqx("score", "--sys", tmp_path / "sys", "--ref", tmp_path / "nope", check=False)
    assert bad.returncode == 1 and "--ref: '" in bad.stderr


def test_dictionary_size_mismatch_is_named(trained, tmp_path):
    root, _ = trained
    raw = root / "raw"
    seqx(
        "preprocess",
        "-s",
        "de",
        "-t",
        "en",
        "--testpref",
        raw / "test",
        "--trainpref",
        raw / "train",
        "--destdir",
        tmp_path / "other",
        "--joined-dictionary",
        "--padding-factor",
        "1",
    )
    proc = seqx(
        "generate", tmp_path / "other", "--path", root / "ck" / "checkpoint_best.pt", check=False
    )
    assert proc.returncode == 1
    assert "trained with another source dictionary than '" in proc.stderr
    assert "Traceback" not in proc.stderr


def test_a_same_size_dictionary_with_other_symbols_is_named(trained, tmp_path):
    root, _ = trained
    lines = (root / "bin" / "dict.de.txt").read_text().splitlines()
    lines[0], lines[1] = lines[1], lines[0]  # two symbols change ids; the size stays
    (tmp_path / "dict.txt").write_text("\n".join(lines) + "\n")
    seqx(
        "preprocess", "-s", "de", "-t", "en", "--trainpref", root / "raw" / "train",
        "--validpref", root / "raw" / "valid", "--testpref", root / "raw" / "test",
        "--srcdict", tmp_path / "dict.txt", "--joined-dictionary",
        "--destdir", tmp_path / "other",
    )  # fmt: skip
    for command in ("generate", "train"):
        more = (
            *TRAIN,
            "--save-dir",
            tmp_path / "ck",
            "--restore-file",
            root / "ck" / "checkpoint_last.pt",
        )
        args = ("--path", root / "ck" / "checkpoint_best.pt") if command == "generate" else more
        proc = seqx(command, tmp_path / "other", *args, check=False)
        assert proc.returncode == 1, proc.stderr
        assert "was trained with another source dictionary than '" in proc.stderr
        assert "give the data folder the model was trained on" in proc.stderr


def test_language_pair_not_in_folder(trained):
    root, _ = trained
    proc = seqx(
        "train",
        root / "bin",
        *TRAIN,
        "-s",
        "fr",
        "-t",
        "en",
        "--max-update",
        "1",
        "--save-dir",
        root / "ck_fr",
        check=False,
    )
    assert proc.returncode == 1
    assert "dict.fr.txt' does not exist: is 'fr' a language of this data folder?" in proc.stderr
    assert "de-en" in proc.stderr


def test_example_longer_than_positions(trained):
    root, _ = trained
    proc = seqx(
        "train",
        root / "bin",
        *TRAIN,
        "--max-source-positions",
        "5",
        "--max-update",
        "1",
        "--save-dir",
        root / "ck_short",
        check=False,
    )
    assert proc.returncode == 1
    assert "valid example" in proc.stderr and "--skip-invalid-size-inputs-valid-test" in proc.stderr
    ok = seqx(
        "train",
        root / "bin",
        *TRAIN,
        "--max-source-positions",
        "12",
        "--max-update",
        "1",
        "--skip-invalid-size-inputs-valid-test",
        "--save-dir",
        root / "ck_skip",
    )
    assert "skipped" in ok.stderr


def test_resume_continues_from_the_last_checkpoint(trained, tmp_path):
    root, _ = trained
    args = ("train", root / "bin", *TRAIN, "--save-dir", tmp_path / "ck", "--seed", "2")
    seqx(*args, "--max-update", "10")
    again = seqx(*args, "--max-update", "15")
    assert "restored" in again.stderr and "(10 updates)" in again.stderr
    state = torch.load(tmp_path / "ck" / "checkpoint_last.pt", weights_only=True)
    assert state["trainer"]["num_updates"] == 15


def test_eval_bleu_picks_the_best_checkpoint_by_bleu(trained, tmp_path):
    root, _ = trained
    proc = seqx(
        "train",
        root / "bin",
        *TRAIN,
        "--max-update",
        "8",
        "--save-dir",
        tmp_path / "ck",
        "--eval-bleu",
        "--eval-bleu-args",
        '{"beam": 2, "max_len_b": 20}',
        "--eval-bleu-print-samples",
        "--best-checkpoint-metric",
        "bleu",
        "--maximize-best-checkpoint-metric",
    )
    valid = [line for line in proc.stderr.splitlines() if "valid on 'valid'" in line]
    assert valid and "| bleu " in valid[-1] and "| best_bleu " in valid[-1]
    assert "example hypothesis:" in proc.stdout
    state = torch.load(tmp_path / "ck" / "checkpoint_best.pt", weights_only=True)
    assert state["trainer"]["best"]["metric"] == "bleu"


def test_sharded_data_iterates_one_shard_per_epoch(trained, tmp_path):
    root, _ = trained
    raw = root / "raw"
    common = (
        "-s",
        "de",
        "-t",
        "en",
        "--srcdict",
        root / "bin" / "dict.de.txt",
        "--tgtdict",
        root / "bin" / "dict.en.txt",
        "--validpref",
        raw / "valid",
    )
    seqx("preprocess", *common, "--trainpref", raw / "valid", "--destdir", tmp_path / "s1")
    seqx("preprocess", *common, "--trainpref", raw / "test", "--destdir", tmp_path / "s2")
    proc = seqx(
        "train",
        f"{tmp_path / 's1'}:{tmp_path / 's2'}",
        *TRAIN,
        "--max-epoch",
        "2",
        "--batch-size",
        "1000",
        "--save-dir",
        tmp_path / "ck",
        "--log-format",
        "json",
    )
    epochs = [
        json.loads(line)
        for line in proc.stderr.splitlines()
        if line.startswith("{") and '"tag": "train"' in line
    ]
    updates = [e["num_updates"] for e in epochs]
    sentences = [
        round(epochs[0]["bsz"] * updates[0]),
        round(epochs[1]["bsz"] * (updates[1] - updates[0])),
    ]
    assert sentences == [40, 30]  # epoch 1 reads shard 1 (40 sentences), epoch 2 shard 2 (30)


def test_same_seed_gives_the_same_run_and_update_freq_accumulates(trained, tmp_path):
    root, _ = trained
    base = ("train", root / "bin", *TRAIN, "--max-update", "6", "--log-interval", "1", "--no-save")

    def losses(*extra):
        proc = seqx(*base, "--save-dir", tmp_path / "x", *extra)
        return [
            line.split("loss=")[1].split(",")[0]
            for line in proc.stderr.splitlines()
            if "loss=" in line
        ]

    first, second = losses("--seed", "7"), losses("--seed", "7")
    assert first == second and len(first) == 6
    assert losses("--seed", "8") != first
    proc = seqx(*base, "--save-dir", tmp_path / "y", "--update-freq", "2")
    last = [line for line in proc.stderr.splitlines() if "loss=" in line][-1]
    wpb_one = float(
        next(
            line
            for line in seqx(*base, "--save-dir", tmp_path / "z").stderr.splitlines()
            if "loss=" in line
        )
        .split("wpb=")[1]
        .split(",")[0]
    )
    assert float(last.split("wpb=")[1].split(",")[0]) > 1.5 * wpb_one  # two batches per update
