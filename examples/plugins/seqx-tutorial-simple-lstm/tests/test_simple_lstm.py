import pytest
import torch

from seqx.testing import IncrementalDecoderConformance, PluginConformance
from seqx.testing.cli import run_seqx, tiny_data_bin
from seqx.testing.tiny import TinyTask, tiny_batch

SMALL = {
    "encoder_embed_dim": 8,
    "encoder_hidden_dim": 10,  # the decoder starts from the encoder's state: same size
    "decoder_embed_dim": 8,
    "decoder_hidden_dim": 10,
}


class TestPlugin(PluginConformance):
    plugin = "seqx_tutorial_simple_lstm.plugin"


class TestSimpleLSTM(IncrementalDecoderConformance):
    plugin = "seqx_tutorial_simple_lstm.plugin"
    name = "simple_lstm"
    config_overrides = SMALL


def test_the_first_decoder_equals_the_incremental_one():
    from seqx_tutorial_simple_lstm.decoder import SimpleLSTMDecoder as Plain
    from seqx_tutorial_simple_lstm.incremental_decoder import SimpleLSTMDecoder as Incremental

    task = TinyTask(20)
    plain, incremental = (
        Plain(task.target_dictionary, 10, 8, 10),
        Incremental(task.target_dictionary, 10, 8, 10),
    )
    incremental.load_state_dict(plain.state_dict())
    plain.eval()
    incremental.eval()
    enc = {"final_hidden": torch.randn(3, 10)}
    batch = tiny_batch(task, [4, 3, 2], 5)
    prev = batch["net_input"]["prev_output_tokens"]
    full, _ = plain(prev, enc)
    state: dict = {}
    steps = [incremental(prev[:, : t + 1], enc, state)[0] for t in range(prev.size(1))]
    torch.testing.assert_close(torch.cat(steps, dim=1), full)


def test_the_first_decoder_decodes_as_the_incremental_one_does():
    """A plain ``Decoder`` (no cache: the tutorial's first decoder) decodes through the
    generator seqx generate uses, to the same hypotheses as the incremental one."""
    from seqx.generation.sequence_generator import SequenceGenerator
    from seqx.models import EncoderDecoderModel
    from seqx_tutorial_simple_lstm.decoder import SimpleLSTMDecoder as Plain
    from seqx_tutorial_simple_lstm.encoder import SimpleLSTMEncoder
    from seqx_tutorial_simple_lstm.incremental_decoder import SimpleLSTMDecoder as Incremental

    torch.manual_seed(0)
    task = TinyTask(20)
    encoder = SimpleLSTMEncoder(task.cfg, task.source_dictionary, 8, 10, 0.0)
    incremental = Incremental(task.target_dictionary, 10, 8, 10, dropout=0.0)
    plain = Plain(task.target_dictionary, 10, 8, 10, dropout=0.0)
    plain.load_state_dict(incremental.state_dict())
    batch = tiny_batch(task, [4, 6, 3], 5, seed=3)
    generator = SequenceGenerator(task.target_dictionary, beam=3, nbest=2, max_len_b=8)
    got = [
        generator.generate(EncoderDecoderModel(encoder, decoder).eval(), batch)
        for decoder in (plain, incremental)
    ]
    for plain_hyps, incremental_hyps in zip(*got):
        for p, i in zip(plain_hyps, incremental_hyps):
            assert p["tokens"].tolist() == i["tokens"].tolist()
            assert p["score"] == pytest.approx(i["score"], abs=1e-5)


def test_trains_and_translates_with_the_tutorials_command(tmp_path):
    data = tiny_data_bin(tmp_path, train=200, valid=16, test=8, seed=2)
    run_seqx(
        "train", data, "--arch", "tutorial_simple_lstm", "--encoder-dropout", "0.2",
        "--decoder-dropout", "0.2", "--optimizer", "adam", "--lr", "0.005", "--lr-shrink",
        "0.5", "--max-tokens", "12000", "--max-epoch", "2", "--num-workers", "0",
        "--save-dir", tmp_path / "ck",
    )  # fmt: skip
    out = run_seqx(
        "generate", data, "--path", tmp_path / "ck" / "checkpoint_best.pt", "--beam", "5",
        "--batch-size", "8",
    )  # fmt: skip
    assert "H-0\t" in out.stdout and "Translated 8 sentences" in out.stderr
