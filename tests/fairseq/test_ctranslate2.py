"""The optional CTranslate2 export (``pip install seqx-core[ctranslate2]``): a fairseq
Transformer written by seqx convert translates in CTranslate2 to fairseq-generate's
hypotheses."""

import pytest

from seqx.testing.cli import run_seqx

ctranslate2 = pytest.importorskip("ctranslate2")


def test_ctranslate2_translates_like_fairseq(fairseq_dir, tmp_path):
    out = tmp_path / "ct2"
    run_seqx(
        "convert", fairseq_dir / "transformer.pt", out, "--to", "ctranslate2",
        "--data", fairseq_dir / "data-bin",
    )  # fmt: skip
    translator = ctranslate2.Translator(str(out), device="cpu")
    sources = [line.split() for line in (fairseq_dir / "text" / "test.en").read_text().splitlines()]
    results = translator.translate_batch(sources, beam_size=5, max_decoding_length=200)
    expected = {}
    for line in (fairseq_dir / "transformer.generate.txt").read_text().splitlines():
        if line.startswith("H-"):
            fields = line.split("\t")
            expected[int(fields[0][2:])] = fields[2]
    assert [" ".join(r.hypotheses[0]) for r in results] == [expected[i] for i in range(40)]


def test_existing_folder_and_other_models_are_refused(fairseq_dir, tmp_path):
    (tmp_path / "taken").mkdir()
    proc = run_seqx(
        "convert", fairseq_dir / "transformer.pt", tmp_path / "taken", "--to", "ctranslate2",
        check=False,
    )  # fmt: skip
    assert proc.returncode == 1 and "exists; remove it" in proc.stderr
    proc = run_seqx(
        "convert", fairseq_dir / "lstm.pt", tmp_path / "x", "--to", "ctranslate2", check=False
    )
    assert proc.returncode == 1 and "CTranslate2 export covers Transformers" in proc.stderr
