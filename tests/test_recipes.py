"""fairseq's documented command lines, run with ``seqx`` for ``fairseq-`` as written (a few
updates on a tiny corpus): the flags must parse and mean what they mean in fairseq."""

import shlex

import pytest

from seqx.testing.cli import run_seqx, tiny_data_bin

SHORT = "--max-update 2 --num-workers 0 --no-epoch-checkpoints"
"""Added to every recipe: a few updates, in this process's tiny corpus."""

RECIPES = {
    # the IWSLT'14 German-English Transformer (examples/translation/README.md)
    "iwslt14-transformer": """--arch transformer_iwslt_de_en --share-decoder-input-output-embed
        --optimizer adam --adam-betas '(0.9, 0.98)' --clip-norm 0.0 --lr 5e-4
        --lr-scheduler inverse_sqrt --warmup-updates 4000 --dropout 0.3 --weight-decay 0.0001
        --criterion label_smoothed_cross_entropy --label-smoothing 0.1 --max-tokens 4096
        --eval-bleu --eval-bleu-args '{"beam": 5, "max_len_a": 1.2, "max_len_b": 10}'
        --eval-bleu-detok moses --eval-bleu-remove-bpe --eval-bleu-print-samples
        --best-checkpoint-metric bleu --maximize-best-checkpoint-metric""",
    # the convolutional model of the getting-started guide
    "getting-started-fconv": """--optimizer nag --lr 0.25 --clip-norm 0.1 --dropout 0.2
        --max-tokens 4000 --arch fconv_iwslt_de_en""",
    # an LSTM with the plateau schedule
    "lstm-plateau": """--arch lstm_wiseman_iwslt_de_en --optimizer adam --lr 0.001
        --lr-scheduler reduce_lr_on_plateau --lr-shrink 0.5 --max-tokens 4000
        --criterion label_smoothed_cross_entropy --label-smoothing 0.1""",
}


@pytest.fixture(scope="module")
def data(tmp_path_factory):
    return tiny_data_bin(tmp_path_factory.mktemp("recipes"), train=40, valid=6, seed=7)


@pytest.mark.parametrize("name", list(RECIPES))
def test_recipe_runs_as_written(name, data, tmp_path):
    args = shlex.split(RECIPES[name]) + shlex.split(SHORT)
    proc = run_seqx("train", data, *args, "--save-dir", tmp_path / "ck")
    assert "done training" in proc.stderr
    if name == "iwslt14-transformer":  # validation scored BLEU and chose the best on it
        assert "| bleu " in proc.stderr and "best_bleu" in proc.stderr


def test_fine_tuning_with_polynomial_decay(data, tmp_path):
    base = shlex.split("--arch transformer_tiny --optimizer adam --lr 0.001 --max-tokens 4000")
    run_seqx("train", data, *base, *shlex.split(SHORT), "--save-dir", tmp_path / "base")
    line = """--arch transformer_tiny --optimizer adam --adam-betas '(0.9, 0.98)'
        --adam-eps 1e-06 --weight-decay 0.01 --lr-scheduler polynomial_decay --lr 1e-05
        --total-num-update 2036 --warmup-updates 122 --max-tokens 4000"""
    proc = run_seqx(
        "train", data, *shlex.split(line), *shlex.split(SHORT), "--save-dir", tmp_path / "ft",
        "--finetune-from-model", tmp_path / "base" / "checkpoint_last.pt",
    )  # fmt: skip
    assert "loaded the model weights of" in proc.stderr and "done training" in proc.stderr


def test_language_model_with_cosine(tmp_path):
    data = tiny_data_bin(
        tmp_path, train=30, valid=5, seed=8, preprocess=("--only-source", "--joined-dictionary")
    )
    line = """--task language_modeling --arch lstm_lm --decoder-embed-dim 32
        --decoder-hidden-size 32 --decoder-out-embed-dim 32 --tokens-per-sample 64
        --sample-break-mode none --optimizer adam --lr 0.001 --lr-scheduler cosine
        --warmup-updates 1 --warmup-init-lr 1e-07 --min-lr 1e-09 --lr-period-updates 100
        --t-mult 2 --lr-shrink 0.75 --max-tokens 2048"""
    proc = run_seqx(
        "train", data, *shlex.split(line), *shlex.split(SHORT), "--save-dir", tmp_path / "ck"
    )
    assert "done training" in proc.stderr
