"""fairseq-train's flags: each is taken by seqx train or refused with its reason; a flag of
a component the run did not choose names that component."""

import json
from pathlib import Path

import click
import pytest

from seqx.cli.main import cli
from seqx.compat.fairseq.absent_flags import ABSENT_FLAGS
from seqx.testing.cli import run_seqx

CASES = json.loads((Path(__file__).parent / "fixtures/fairseq/train_flags.json").read_text())
"""fairseq 0.12.2's flags per command line (made by fixtures/fairseq/make_flags.py)."""

GLOBAL = {"--help", "--user-dir"}
"""Taken by seqx itself, before the command (--user-dir is --plugin-dir)."""


def train_command():
    ctx = click.Context(cli)
    return cli.get_command(ctx, "train")


@pytest.mark.parametrize("case", list(CASES))
def test_every_fairseq_flag_is_taken_or_refused_with_a_reason(case):
    accepted = train_command().accepted_flags(case.split())
    missing = set(CASES[case]) - accepted - GLOBAL - set(ABSENT_FLAGS)
    assert not missing, f"fairseq flags seqx neither takes nor explains: {sorted(missing)}"


def test_no_flag_every_run_takes_is_said_to_be_absent():
    # a component may take a listed flag (lstm's --decoder-attention): then the run that
    # chooses another component is told which one has it
    always = set.intersection(*(train_command().accepted_flags(c.split()) for c in CASES))
    assert not always & set(ABSENT_FLAGS)


@pytest.mark.parametrize(
    ("flags", "said"),
    [
        (["--optimizer", "sgd", "--adam-betas", "(0.9, 0.98)"],
         "--adam-betas is an option of --optimizer adam, --optimizer cpu_adam; this run's is "
         "--optimizer sgd"),
        (["--optimizer", "adam", "--lr-period-updates", "3"],
         "--lr-period-updates is an option of --lr-scheduler cosine, --lr-scheduler "
         "triangular; this run's is --lr-scheduler fixed"),
        (["--optimizer", "adam", "--distributed-rank", "0"],
         "--distributed-rank is a fairseq option that seqx does not take: seqx takes a rank"),
        (["--optimizer", "adam", "--no-such-flag"], "No such option '--no-such-flag'"),
    ],
)  # fmt: skip
def test_an_untaken_flag_says_why(tmp_path, flags, said):
    proc = run_seqx("train", tmp_path, "--arch", "transformer_tiny", *flags, check=False)
    assert proc.returncode == 2 and said in proc.stderr and "Traceback" not in proc.stderr
