"""The README's "Coming from fairseq" commands, run as written on files fairseq wrote."""

import os
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "fixtures" / "fairseq"


def _blocks(language: str) -> list[str]:
    readme = (ROOT / "README.md").read_text()
    section = readme.split("## Coming from fairseq", 1)[1].split("\n## ", 1)[0]
    return re.findall(rf"```{language}\n(.*?)```", section, re.S)


@pytest.fixture
def workdir(tmp_path):
    """What the commands name: a fairseq data folder, a checkpoint, a model folder."""
    shutil.copytree(FIXTURES / "data-bin", tmp_path / "data-bin")
    (tmp_path / "checkpoints").mkdir()
    shutil.copy(FIXTURES / "transformer.pt", tmp_path / "checkpoints" / "checkpoint_best.pt")
    model = tmp_path / "wmt-model"
    model.mkdir()
    shutil.copy(FIXTURES / "transformer.pt", model / "model.pt")
    for name in ("data-bin/dict.en.txt", "data-bin/dict.de.txt", "bpecodes"):
        shutil.copy(FIXTURES / name, model)
    lines = (FIXTURES / "text" / "raw-test.en").read_text().splitlines()[:3]
    (tmp_path / "input.txt").write_text("\n".join(lines) + "\n")
    return tmp_path


def test_the_commands_run_as_written(workdir):
    commands = [c for c in _blocks("bash")[0].splitlines() if c.strip()]
    assert len(commands) == 5
    for command in commands:
        argv = shlex.split(command)
        assert argv[0] == "seqx"
        if "--to" in argv and argv[argv.index("--to") + 1] == "ctranslate2":
            pytest.importorskip("ctranslate2")
        proc = subprocess.run(
            [sys.executable, "-m", "seqx", *argv[1:]],
            cwd=workdir, capture_output=True, text=True, timeout=300,
        )  # fmt: skip
        assert proc.returncode == 0, (command, proc.stderr)
        if argv[1] in ("generate", "interactive"):
            assert proc.stdout.count("\nH-") + proc.stdout.startswith("H-") >= 3, command
    assert (workdir / "model.fairseq.pt").is_file() and (workdir / "ct2-model").is_dir()


def test_the_python_example_runs_as_written(workdir):
    proc = subprocess.run(
        [sys.executable, "-c", _blocks("python")[0]],
        cwd=workdir, capture_output=True, text=True, timeout=300,
        env={**os.environ, "PYTHONPATH": os.environ.get("PYTHONPATH", "")},
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() and "@@" not in proc.stdout
