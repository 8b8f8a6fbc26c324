import pytest
import torch

from seqx.errors import ConfigError
from seqx.testing import IncrementalDecoderConformance, PluginConformance
from seqx.testing.tiny import TinyTask

TINY = {
    "encoder_embed_dim": 12,
    "encoder_layers": "[(16, 3)] * 2 + [(8, 2, 2)]",
    "decoder_embed_dim": 12,
    "decoder_layers": "[(16, 3), (8, 2)]",
    "decoder_out_embed_dim": 10,
    "dropout": 0.1,
}


class TestPlugin(PluginConformance):
    plugin = "seqx_fconv.plugin"


class TestFConv(IncrementalDecoderConformance):
    plugin = "seqx_fconv.plugin"
    name = "fconv"
    config_overrides = TINY


class TestPartialAttentionShared(IncrementalDecoderConformance):
    plugin = "seqx_fconv.plugin"
    name = "fconv"
    arch = "fconv_iwslt_de_en"
    config_overrides = {
        "encoder_embed_dim": 8,
        "encoder_layers": "[(8, 3)] * 2",
        "decoder_embed_dim": 8,
        "decoder_layers": "[(8, 3)] * 3",
        "decoder_out_embed_dim": 8,
        "decoder_attention": "[True, False, True]",
        "share_input_output_embed": True,
    }


def _config(seqx_plugins, arch, **overrides):
    from seqx.config.resolve import check_arch_defaults

    seqx_plugins.register("seqx_fconv.plugin")
    resolved = seqx_plugins.registry.resolve_arch(arch)
    cls = resolved.model.load_config()
    return resolved, cls(**{**check_arch_defaults(resolved, cls), **overrides})


@pytest.mark.parametrize(
    ("arch", "expected"),
    [
        ("fconv", (512, "[(512, 3)] * 20", 512, "[(512, 3)] * 20", 256)),
        ("fconv_iwslt_de_en", (256, "[(256, 3)] * 4", 256, "[(256, 3)] * 3", 256)),
        ("fconv_wmt_en_ro", (512, "[(512, 3)] * 20", 512, "[(512, 3)] * 20", 512)),
        (
            "fconv_wmt_en_de",
            (
                768,
                "[(512, 3)] * 9 + [(1024, 3)] * 4 + [(2048, 1)] * 2",
                768,
                "[(512, 3)] * 9 + [(1024, 3)] * 4 + [(2048, 1)] * 2",
                512,
            ),
        ),
    ],
)
def test_archs_have_fairseqs_hyperparameters(seqx_plugins, arch, expected):
    _, c = _config(seqx_plugins, arch)
    got = (
        c.encoder_embed_dim,
        c.encoder_layers,
        c.decoder_embed_dim,
        c.decoder_layers,
        c.decoder_out_embed_dim,
    )
    assert got == expected


def test_en_fr_layers_expand_as_fairseqs():
    from seqx_fconv.archs import ARCHS
    from seqx_fconv.specs import conv_layers

    layers = conv_layers(ARCHS["fconv_wmt_en_fr"]["defaults"]["encoder_layers"], "--encoder-layers")
    assert len(layers) == 15 and layers[0] == (512, 3, 1) and layers[-1] == (4096, 1, 1)


def test_a_malformed_layer_spec_names_the_flag(seqx_plugins):
    resolved, cfg = _config(seqx_plugins, "fconv", **{**TINY, "encoder_layers": "[(512, 3)"})
    with pytest.raises(ConfigError, match=r"--encoder-layers '\[\(512, 3\)' is not a layer spec"):
        resolved.model.load().build_model(cfg, TinyTask(20))
    cfg.encoder_layers = "__import__('os').system('true')"
    with pytest.raises(ConfigError, match="--encoder-layers"):
        resolved.model.load().build_model(cfg, TinyTask(20))


def test_attention_spec_of_the_wrong_length(seqx_plugins):
    resolved, cfg = _config(seqx_plugins, "fconv", **{**TINY, "decoder_attention": "[True]"})
    with pytest.raises(
        ConfigError, match="--decoder-attention has 1 entries but the decoder has 2"
    ):
        resolved.model.load().build_model(cfg, TinyTask(20))


def test_an_embedding_file_of_the_wrong_dimension(seqx_plugins, tmp_path):
    task = TinyTask(20)
    path = tmp_path / "emb.txt"
    path.write_text(f"{task.source_dictionary[7]} 0.5 0.25\n", encoding="utf-8")
    resolved, cfg = _config(seqx_plugins, "fconv", **{**TINY, "encoder_embed_path": str(path)})
    with pytest.raises(ConfigError, match="--encoder-embed-path .*line 1.*has 2 values"):
        resolved.model.load().build_model(cfg, task)


def test_incremental_steps_do_not_grow_with_the_prefix(seqx_plugins):
    resolved, cfg = _config(seqx_plugins, "fconv", **TINY)
    model = resolved.model.load().build_model(cfg, TinyTask(20)).eval()
    enc = model.encoder(torch.tensor([[5, 6, 7, 2]]))
    state: dict = {}
    prefix = torch.tensor([[2]])
    for _ in range(6):
        model.decoder(prefix, encoder_out=enc, incremental_state=state)
        prefix = torch.cat([prefix, torch.tensor([[8]])], dim=1)
    buffers = [v["buffer"] for k, v in state.items() if k.startswith("fconv_conv")]
    assert [b.shape[1] for b in buffers] == [3, 2]  # the kernel sizes, not the prefix length


def test_reorder_with_an_index_out_of_range(seqx_plugins):
    resolved, cfg = _config(seqx_plugins, "fconv", **TINY)
    model = resolved.model.load().build_model(cfg, TinyTask(20)).eval()
    enc = model.encoder(torch.tensor([[5, 6, 2], [7, 8, 2]]))
    state: dict = {}
    model.decoder(torch.tensor([[2], [2]]), encoder_out=enc, incremental_state=state)
    with pytest.raises(IndexError, match="the batch has 2 rows"):
        model.decoder.reorder_incremental_state(state, torch.tensor([0, 2]))


def test_prepared_for_inference_folds_the_weight_normalization(seqx_plugins):
    from torch.nn.utils import parametrize

    resolved, cfg = _config(seqx_plugins, "fconv", **TINY)
    model = resolved.model.load().build_model(cfg, TinyTask(20))
    assert any(parametrize.is_parametrized(m) for m in model.modules())
    model.prepare_for_inference_()
    assert not any(parametrize.is_parametrized(m) for m in model.modules())
    assert not any(name.endswith(("weight_g", "weight_v")) for name in model.state_dict())


def test_linearized_weight_follows_updates_and_autocast_dtype():
    from seqx_fconv.modules import LinearizedConvolution

    conv = LinearizedConvolution(4, 6, 3)
    torch.nn.init.normal_(conv.weight)
    first = conv.linearized_weight()
    assert conv.linearized_weight() is first  # kept while the weight is unchanged
    first = first.clone()
    with torch.no_grad():
        conv.weight.mul_(2)  # an in-place update (an optimizer step)
    torch.testing.assert_close(conv.linearized_weight(), first * 2)
    assert conv.linearized_weight(torch.bfloat16).dtype == torch.bfloat16
    x = torch.randn(5, 4)
    with torch.no_grad(), torch.autocast("cpu", dtype=torch.bfloat16):
        out, _ = conv.step(x, None)
    expected, _ = conv.step(x, None)
    torch.testing.assert_close(out.float(), expected, atol=0.05, rtol=0.05)
