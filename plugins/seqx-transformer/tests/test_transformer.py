import pytest
import torch

from seqx.errors import ConfigError
from seqx.testing import IncrementalDecoderConformance, PluginConformance
from seqx.testing.tiny import TinyTask, tiny_batch

TINY = {
    "encoder_embed_dim": 16,
    "encoder_ffn_embed_dim": 32,
    "encoder_attention_heads": 2,
    "encoder_layers": 2,
    "decoder_layers": 2,
    "decoder_attention_heads": 2,
    "dropout": 0.1,
}


class TestPlugin(PluginConformance):
    plugin = "seqx_transformer.plugin"


class TestTransformer(IncrementalDecoderConformance):
    plugin = "seqx_transformer.plugin"
    name = "transformer"
    config_overrides = TINY


class TestPreNormLearnedShared(IncrementalDecoderConformance):
    plugin = "seqx_transformer.plugin"
    name = "transformer"
    arch = "transformer_wmt_en_de_big_t2t"
    config_overrides = {
        **TINY,
        "decoder_embed_dim": 16,
        "decoder_ffn_embed_dim": 32,
        "encoder_learned_pos": True,
        "decoder_learned_pos": True,
        "share_all_embeddings": True,
        "activation_fn": "gelu",
        "layernorm_embedding": True,
    }


def _build(seqx_plugins, arch, task=None, **overrides):
    from seqx.config.resolve import check_arch_defaults

    seqx_plugins.register("seqx_transformer.plugin")
    resolved = seqx_plugins.registry.resolve_arch(arch)
    cls = resolved.model.load_config()
    cfg = cls(**{**check_arch_defaults(resolved, cls), **overrides})
    return cfg, resolved.model.load().build_model(cfg, task or TinyTask(24))


@pytest.mark.parametrize(
    ("arch", "expected"),
    [
        ("transformer_iwslt_de_en", (512, 1024, 4, 6, 512, 1024, 4, 6, 0.1, False)),
        ("transformer", (512, 2048, 8, 6, 512, 2048, 8, 6, 0.1, False)),
        ("transformer_vaswani_wmt_en_de_big", (1024, 4096, 16, 6, 1024, 4096, 16, 6, 0.3, False)),
        ("transformer_vaswani_wmt_en_fr_big", (1024, 4096, 16, 6, 1024, 4096, 16, 6, 0.1, False)),
        ("transformer_wmt_en_de_big_t2t", (1024, 4096, 16, 6, 1024, 4096, 16, 6, 0.3, True)),
        ("transformer_tiny", (64, 64, 2, 2, 64, 64, 2, 2, 0.1, False)),
    ],
)
def test_archs_have_fairseqs_hyperparameters(seqx_plugins, arch, expected):
    from seqx.config.resolve import check_arch_defaults

    seqx_plugins.register("seqx_transformer.plugin")
    resolved = seqx_plugins.registry.resolve_arch(arch)
    cls = resolved.model.load_config()
    c = cls(**check_arch_defaults(resolved, cls))
    got = (
        c.encoder_embed_dim,
        c.encoder_ffn_embed_dim,
        c.encoder_attention_heads,
        c.encoder_layers,
        c.decoder_dim,
        c.decoder_ffn_dim,
        c.decoder_attention_heads,
        c.decoder_layers,
        c.dropout,
        c.decoder_normalize_before,
    )
    assert got == expected


def test_parameter_count_of_iwslt_arch(seqx_plugins):
    # 6+6 layers, 512 wide, FFN 1024, shared embeddings over an 8k joined vocabulary
    _, model = _build(
        seqx_plugins, "transformer_iwslt_de_en", TinyTask(8000), share_all_embeddings=True
    )
    n = sum(p.numel() for p in model.parameters())
    enc_layer = 4 * 512 * 512 + 4 * 512 + 2 * 512 * 1024 + 1024 + 512 + 2 * 2 * 512
    dec_layer = enc_layer + 4 * 512 * 512 + 4 * 512 + 2 * 512
    assert n == 8000 * 512 + 6 * enc_layer + 6 * dec_layer


def test_sharing_is_real(seqx_plugins):
    _, model = _build(seqx_plugins, "transformer_tiny", share_all_embeddings=True)
    assert model.encoder.embed_tokens is model.decoder.embed_tokens
    assert model.decoder.output_projection.weight is model.decoder.embed_tokens.weight


def test_share_all_needs_a_joined_dictionary(seqx_plugins):
    with pytest.raises(ConfigError, match="--joined-dictionary"):
        _build(
            seqx_plugins, "transformer_tiny", TinyTask(24, shared=False), share_all_embeddings=True
        )


def test_heads_must_divide_the_width():
    from seqx_transformer.config import TransformerConfig

    with pytest.raises(ConfigError, match="not divisible by --encoder-attention-heads 3"):
        TransformerConfig(encoder_embed_dim=16, encoder_attention_heads=3)


def test_sinusoidal_positions_match_fairseq():
    from seqx_transformer.positions import make_positions, sinusoidal_table

    table = sinusoidal_table(10, 4, padding_idx=1)
    assert table[1].abs().sum() == 0
    # row 2, dim 4: half=2, freqs = [1, 1e-4]; [sin(2), sin(2e-4), cos(2), cos(2e-4)]
    want = torch.tensor([0.9092974, 0.0002, -0.4161468, 1.0])
    torch.testing.assert_close(table[2], want, atol=1e-6, rtol=0)
    tokens = torch.tensor([[1, 1, 5, 6], [7, 8, 9, 2]])
    assert make_positions(tokens, 1).tolist() == [[1, 1, 2, 3], [2, 3, 4, 5]]


def test_checkpoints_with_the_older_embedding_keys_load(seqx_plugins):
    _, model = _build(seqx_plugins, "transformer_tiny", share_all_embeddings=True)
    state = model.state_dict()
    old = {k.replace("embedding.", ""): v for k, v in state.items()}
    assert "encoder.embed_tokens.weight" in old
    upgraded = model.upgrade_state_dict(dict(old))
    assert set(upgraded) == set(state)
    model.load_state_dict(upgraded)


@pytest.mark.parametrize("kernel", ["sdpa", "cpu", "auto"])
def test_every_attention_kernel_scores_the_same(seqx_plugins, kernel):
    from seqx_transformer.kernels import set_attention_kernel

    torch.manual_seed(0)
    _, model = _build(seqx_plugins, "transformer_tiny")
    model.eval()
    batch = tiny_batch(TinyTask(24), [5, 3, 4], tgt_length=4, seed=1)
    with torch.no_grad():
        expected = model(**batch["net_input"])[0]
        layers = model.cfg.encoder_layers + 2 * model.cfg.decoder_layers
        assert set_attention_kernel(model, kernel) == layers
        got = model(**batch["net_input"])[0]
    torch.testing.assert_close(got, expected, atol=1e-5, rtol=1e-4)
    with pytest.raises(ValueError, match="unknown attention kernel"):
        set_attention_kernel(model, "flash")
