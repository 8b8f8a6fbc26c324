import pytest
import torch

from seqx.errors import ConfigError
from seqx.testing import (
    IncrementalDecoderConformance,
    IncrementalLanguageModelConformance,
    PluginConformance,
)
from seqx.testing.tiny import TinyTask

TINY = {
    "encoder_embed_dim": 12,
    "encoder_hidden_size": 10,
    "decoder_embed_dim": 12,
    "decoder_hidden_size": 14,
    "decoder_out_embed_dim": 8,
    "encoder_layers": 2,
    "decoder_layers": 2,
    "dropout": 0.1,
}


class TestPlugin(PluginConformance):
    plugin = "seqx_lstm.plugin"


class TestLSTM(IncrementalDecoderConformance):
    plugin = "seqx_lstm.plugin"
    name = "lstm"
    config_overrides = TINY


class TestBidirectionalResidualShared(IncrementalDecoderConformance):
    plugin = "seqx_lstm.plugin"
    name = "lstm"
    arch = "lstm_wiseman_iwslt_de_en"
    config_overrides = {
        "encoder_embed_dim": 8,
        "decoder_embed_dim": 8,
        "decoder_out_embed_dim": 8,
        "encoder_bidirectional": True,
        "decoder_layers": 2,
        "residuals": True,
        "share_all_embeddings": True,
    }


class TestAdaptiveSoftmax(IncrementalDecoderConformance):
    plugin = "seqx_lstm.plugin"
    name = "lstm"
    config_overrides = {**TINY, "adaptive_softmax_cutoff": "8,14"}


class TestNoAttention(IncrementalDecoderConformance):
    plugin = "seqx_lstm.plugin"
    name = "lstm"
    config_overrides = {**TINY, "decoder_attention": "0"}


TINY_LM = {"decoder_embed_dim": 12, "decoder_hidden_size": 10, "decoder_out_embed_dim": 8}


class TestLanguageModel(IncrementalLanguageModelConformance):
    plugin = "seqx_lstm.plugin"
    name = "lstm_lm"
    config_overrides = TINY_LM


class TestLanguageModelLayersResidualsShared(IncrementalLanguageModelConformance):
    plugin = "seqx_lstm.plugin"
    name = "lstm_lm"
    config_overrides = {
        "decoder_embed_dim": 8,
        "decoder_out_embed_dim": 8,
        "decoder_layers": 3,
        "residuals": True,
        "share_decoder_input_output_embed": True,
    }


class TestLanguageModelAdaptiveSoftmax(IncrementalLanguageModelConformance):
    plugin = "seqx_lstm.plugin"
    name = "lstm_lm"
    config_overrides = {**TINY_LM, "adaptive_softmax_cutoff": "8,14"}


def _config(seqx_plugins, arch, **overrides):
    from seqx.config.resolve import check_arch_defaults

    seqx_plugins.register("seqx_lstm.plugin")
    resolved = seqx_plugins.registry.resolve_arch(arch)
    cls = resolved.model.load_config()
    return resolved, cls(**{**check_arch_defaults(resolved, cls), **overrides})


@pytest.mark.parametrize(
    ("arch", "expected"),
    [
        # embed, layers, dropout in/out (encoder), embed, layers, out embed, in/out (decoder)
        ("lstm", (512, 1, 0.1, 0.1, 512, 1, 512, 0.1, 0.1)),
        ("lstm_wiseman_iwslt_de_en", (256, 1, 0.0, 0.0, 256, 1, 256, 0.0, 0.1)),
        ("lstm_luong_wmt_en_de", (1000, 4, 0.1, 0.0, 1000, 4, 1000, 0.1, 0.0)),
    ],
)
def test_archs_have_fairseqs_hyperparameters(seqx_plugins, arch, expected):
    _, c = _config(seqx_plugins, arch)
    got = (
        c.encoder_embed_dim,
        c.encoder_layers,
        *c.encoder_dropouts,
        c.decoder_embed_dim,
        c.decoder_layers,
        c.decoder_out_embed_dim,
        *c.decoder_dropouts,
    )
    assert got == expected
    assert c.encoder_hidden == c.encoder_embed_dim
    assert c.decoder_hidden == c.decoder_embed_dim


def test_a_replayed_config_derives_dropouts_from_the_new_dropout(seqx_plugins):
    """config.json records the options as given: a replay with another --dropout changes
    every dropout that defaults to it, and keeps those given explicitly."""
    from seqx.config.resolve import Section, build, select

    seqx_plugins.register("seqx_lstm.plugin")
    section = Section("model", kind="arch", flag="--arch")
    first = build([select(seqx_plugins.registry, section, "lstm")], {"encoder_dropout_out": 0.2})
    recorded = first.to_dict()
    assert recorded["model"]["encoder_dropout_in"] is None
    replayed = build(
        [select(seqx_plugins.registry, section, "lstm")], {"dropout": 0.3}, replay=recorded
    )
    cfg = replayed.sections["model"].config
    assert cfg.encoder_dropouts == (0.3, 0.2)
    assert cfg.decoder_dropouts == (0.3, 0.3)
    model = replayed_model = seqx_plugins.registry.get("model", "lstm").load()
    replayed_model = model.build_model(cfg, TinyTask(20))
    assert replayed_model.encoder.dropout_in == 0.3
    assert replayed_model.decoder.dropout_out == 0.3


def test_left_and_right_padding_encode_alike(seqx_plugins):
    from seqx import utils

    resolved, cfg = _config(seqx_plugins, "lstm", **TINY)
    model = resolved.model.load().build_model(cfg, TinyTask(20)).eval()
    pad = 1
    left = torch.tensor([[pad, pad, 5, 6, 2], [7, 8, 9, 10, 2]])
    right = utils.convert_padding_direction(left, pad, left_to_right=True)
    assert right.tolist() == [[5, 6, 2, pad, pad], [7, 8, 9, 10, 2]]
    a = model.encoder(left)
    b = model.encoder(right)
    torch.testing.assert_close(a["final_hiddens"], b["final_hiddens"])
    torch.testing.assert_close(a["encoder_out"], b["encoder_out"])


def test_pretrained_embeddings_and_a_wrong_dimension(seqx_plugins, tmp_path):
    task = TinyTask(20)
    word = task.source_dictionary[7]
    good = tmp_path / "emb.txt"
    good.write_text(f"1 4\n{word} 0.5 0.25 -1 2\n", encoding="utf-8")
    resolved, cfg = _config(
        seqx_plugins,
        "lstm",
        encoder_embed_dim=4,
        encoder_embed_path=str(good),
        **{k: v for k, v in TINY.items() if k != "encoder_embed_dim"},
    )
    model = resolved.model.load().build_model(cfg, task)
    assert model.encoder.embed_tokens.weight[7].tolist() == [0.5, 0.25, -1.0, 2.0]
    bad = tmp_path / "bad.txt"
    bad.write_text(f"{word} 0.5 0.25\n", encoding="utf-8")
    cfg.encoder_embed_path = str(bad)
    with pytest.raises(ConfigError, match=r"--encoder-embed-path .*line 1: .* has 2 values"):
        resolved.model.load().build_model(cfg, task)


def test_reorder_with_an_index_out_of_range(seqx_plugins):
    resolved, cfg = _config(seqx_plugins, "lstm", **TINY)
    model = resolved.model.load().build_model(cfg, TinyTask(20)).eval()
    src = torch.tensor([[5, 6, 2], [7, 8, 2]])
    enc = model.encoder(src)
    state: dict = {}
    model.decoder(torch.tensor([[2], [2]]), encoder_out=enc, incremental_state=state)
    with pytest.raises(IndexError, match="the batch has 2 rows"):
        model.decoder.reorder_incremental_state(state, torch.tensor([0, 2]))


def test_adaptive_softmax_trains_and_decodes(tmp_path):
    from seqx.testing.cli import run_seqx, tiny_data_bin

    data = tiny_data_bin(tmp_path, train=120, valid=10, test=6, seed=5)
    small = ["--arch", "lstm", "--encoder-embed-dim", "16", "--decoder-embed-dim", "16",
             "--decoder-out-embed-dim", "16", "--optimizer", "adam", "--lr", "0.01",
             "--batch-size", "16", "--num-workers", "0", "--max-update", "4"]  # fmt: skip
    bad = run_seqx("train", data, *small, "--criterion", "adaptive_loss",
                   "--save-dir", tmp_path / "bad", check=False)  # fmt: skip
    assert bad.returncode != 0 and "--adaptive-softmax-cutoff" in bad.stderr
    assert "Traceback" not in bad.stderr
    run_seqx("train", data, *small, "--criterion", "adaptive_loss", "--adaptive-softmax-cutoff",
             "20,40", "--save-dir", tmp_path / "ck")  # fmt: skip
    out = run_seqx("generate", data, "--path", tmp_path / "ck" / "checkpoint_last.pt",
                   "--beam", "3", "--batch-size", "6", "--max-len-b", "8")  # fmt: skip
    assert "H-0\t" in out.stdout
