import random
import subprocess
import sys

from seqx.testing import PluginConformance
from seqx.testing.cli import run_seqx
from seqx.testing.conformance.component import ComponentConformance

ENDINGS = {"Russian": "ov", "Spanish": "ez", "Polish": "ski", "English": "son"}


class TestPlugin(PluginConformance):
    plugin = "seqx_tutorial_classifier.plugin"


class TestTask(ComponentConformance):
    plugin = "seqx_tutorial_classifier.plugin"
    kind = "task"
    name = "simple_classification"
    config_overrides = {"data": "unused"}


class TestModel(ComponentConformance):
    plugin = "seqx_tutorial_classifier.plugin"
    kind = "model"
    name = "rnn_classifier"


def write_names(folder, split, per_label, seed):
    """Names whose language shows in the ending: 'Petrov', 'Lopez', ..."""
    rng = random.Random(seed)
    inputs, labels = [], []
    for _ in range(per_label):
        for label, ending in ENDINGS.items():
            stem = "".join(rng.choice("bdfgklmnprstv") + rng.choice("aeiou") for _ in range(2))
            inputs.append(" ".join(stem.capitalize() + ending))
            labels.append(label)
    (folder / f"{split}.input").write_text("\n".join(inputs) + "\n", encoding="utf-8")
    (folder / f"{split}.label").write_text("\n".join(labels) + "\n", encoding="utf-8")


def test_the_tutorials_commands(tmp_path):
    names = tmp_path / "names"
    names.mkdir()
    write_names(names, "train", 40, seed=1)
    write_names(names, "valid", 5, seed=2)
    run_seqx(
        "preprocess", "--trainpref", names / "train", "--validpref", names / "valid",
        "--source-lang", "input", "--target-lang", "label", "--destdir", tmp_path / "bin",
        "--dataset-impl", "raw",
    )  # fmt: skip
    train = run_seqx(
        "train", tmp_path / "bin", "--task", "simple_classification", "--arch",
        "pytorch_tutorial_rnn", "--optimizer", "adam", "--lr", "0.001", "--lr-shrink", "0.5",
        "--max-tokens", "1000", "--max-epoch", "6", "--num-workers", "0",
        "--save-dir", tmp_path / "ck",
    )  # fmt: skip
    losses = [
        float(line.split("| loss ")[1].split()[0])
        for line in train.stderr.splitlines()
        if "valid on 'valid'" in line
    ]
    assert len(losses) == 6 and losses[-1] < losses[0]
    proc = subprocess.run(
        [sys.executable, "-m", "seqx_tutorial_classifier.eval_classifier", str(tmp_path / "bin"),
         "--path", str(tmp_path / "ck" / "checkpoint_best.pt")],
        input="Petrovski\nGomez\n", capture_output=True, text=True, check=True,
    )  # fmt: skip
    lines = [line for line in proc.stdout.splitlines() if not line.startswith("|")]
    assert lines[0] == "Petrovski" and lines[4] == "Gomez"
    scores = [float(line.split("\t")[0].strip("()")) for line in lines[1:4]]
    assert scores == sorted(scores, reverse=True) and all(s <= 0 for s in scores)
    assert all(line.split("\t")[1] in ENDINGS for line in lines[1:4])
