import json

import pytest

from seqx.errors import PluginError


def test_table_lists_plugins_and_components(toys, seqx):
    code, out, _ = seqx("plugins")
    assert code == 0
    assert "PLUGIN" in out and "builtin" in out and "toys" in out
    assert "toy_bigger" in out and "(base toy_big)" in out


def test_json(toys, seqx):
    code, out, _ = seqx("plugins", "--json")
    data = json.loads(out)
    plugin = next(p for p in data["plugins"] if p["name"] == "toys")
    assert plugin["registers"]["arch"] == ["toy_big", "toy_bigger"]
    arch = next(c for c in data["components"] if c["name"] == "toy_big")
    assert arch["defaults"] == {"encoder_embed_dim": 1024, "encoder_layers": 12}


def test_check_reports_failures_and_exits_nonzero(toys, seqx):
    def bad(r):
        r.model("ghost", "no_such_module_xyz:Model", help="does not import")
        r.arch("ghost_arch", model="toy", base="missing_base")

    toys.register(bad, name="bad")
    code, out, _ = seqx("plugins", "--check")
    assert code == 1
    assert "cannot import its target 'no_such_module_xyz:Model'" in out
    assert "names base arch 'missing_base'" in out
    code, out, _ = seqx("plugins", "--check", "--json")
    assert code == 1
    assert {c["name"] for c in json.loads(out)["check"]} == {"ghost", "ghost_arch"}


def test_check_passes_for_good_plugins(toys, seqx):
    code, out, _ = seqx("plugins", "--check")
    assert code == 0, out


def test_conflicts_are_shown(toys, seqx):
    toys.register(lambda r: r.model("toy", "x:Y", help="again"), name="again")
    code, out, _ = seqx("plugins")
    assert "conflicts:" in out and "model 'toy' is registered by more than one plugin" in out
    code, _, err = seqx("train", "--arch", "toy", "--help")
    assert code == 2 and "more than one plugin" in err


def test_broken_plugins_are_listed(toys, seqx):
    def boom(r):
        raise RuntimeError("cannot register")

    with pytest.raises(PluginError):
        toys.register(boom, name="boom")
    with pytest.warns(Warning):
        toys.register(boom, name="boom", strict=False)
    code, out, _ = seqx("plugins")
    assert "broken" in out and "RuntimeError: cannot register" in out


def test_show_model_lists_fields_and_archs(toys, seqx):
    code, out, _ = seqx("plugins", "show", "toy")
    assert code == 0
    assert "model toy: A toy model." in out
    assert "--encoder-embed-dim  int, default 512" in out
    assert "Encoder embedding dimension." in out
    assert "arch toy_big:" in out and "encoder_embed_dim = 1024" in out
    code, out, _ = seqx("plugins", "show", "toy_bigger", "--json")
    [item] = json.loads(out)
    assert item["chain"] == ["toy_bigger", "toy_big"]
    fields = {f["name"]: f["default"] for f in item["fields"]}
    assert fields["encoder_embed_dim"] == 1024 and fields["share_all_embeddings"] is True


def test_show_names_a_positional_argument_as_it_is_given(toys, seqx):
    code, out, _ = seqx("plugins", "show", "translation")
    assert code == 0
    assert "    DATA  str, (required) (positional argument)" in out
    assert "--data" not in out
    code, out, _ = seqx("plugins", "show", "translation", "--json")
    [item] = json.loads(out)
    data = next(f for f in item["fields"] if f["name"] == "data")
    assert data["positional"] and data["flag"] is None and data["usage"] == "DATA"


def test_show_unknown(toys, seqx):
    code, _, err = seqx("plugins", "show", "toy_bigr")
    assert code == 1 and "Did you mean" in err and "'toy_bigger'" in err
