from seqx.testing import TokenizerConformance


class TestSpace(TokenizerConformance):
    plugin = "seqx_data.plugin"
    name = "space"
    samples = ["Hello , world !", "A man is riding a bike ."]


class TestMoses(TokenizerConformance):
    plugin = "seqx_data.plugin"
    name = "moses"
    samples = ["Hello, world!", "Ein Mann fährt Fahrrad.", 'It\'s a "test" (really).']


def test_moses_splits_punctuation(seqx_plugins):
    seqx_plugins.register("seqx_data.plugin")
    entry = seqx_plugins.registry.get("tokenizer", "moses")
    tok = entry.load()(entry.load_config()(source_lang="en"))
    assert tok.encode("Hello, world!") == "Hello , world !"
