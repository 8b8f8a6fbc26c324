from dataclasses import dataclass

import pytest

from seqx.errors import ComponentConflictError, ConfigError, PluginError, UnknownComponentError
from seqx.registrar import Registrar
from seqx.registry import Provenance, Registry, import_target


@dataclass(kw_only=True)
class _Cfg:
    dim: int = 4
    """Width."""


def _registry(*registrars: Registrar) -> Registry:
    reg = Registry()
    for r in registrars:
        for e in r.entries:
            reg.add(e)
    return reg


def _plugin(name: str, dist: str | None = None) -> Registrar:
    return Registrar(Provenance(plugin=name, distribution=dist, version="1.0"), module=__name__)


def test_targets_are_lazy_import_strings():
    r = _plugin("p")
    entry = r.model("m", "does.not.exist:Model", config="also.missing:Cfg", help="a model")
    reg = _registry(r)
    assert reg.get("model", "m") is entry  # registering imported nothing
    with pytest.raises(
        PluginError,
        match=r"model 'm' \(module: p\): cannot import its target 'does.not.exist:Model'",
    ):
        entry.load()


def test_relative_and_own_module_targets():
    r = _plugin("p")
    r.model("m", ":_Cfg", config=":_Cfg")
    entry = _registry(r).get("model", "m")
    assert entry.load() is _Cfg
    assert import_target("json:dumps").__name__ == "dumps"
    assert import_target(".decoder:JSONDecoder", package="json").__name__ == "JSONDecoder"


def test_arch_base_chain_merges_defaults_in_order():
    r = _plugin("p")
    r.model("m", ":_Cfg", config=":_Cfg")
    r.arch("small", model="m", defaults={"dim": 8})
    r.arch("smaller", base="small", defaults={"dim": 2})
    r.arch("same", base="smaller")
    reg = _registry(r)
    resolved = reg.resolve_arch("same")
    assert resolved.model.name == "m"
    assert resolved.defaults == {"dim": 2}
    assert [e.name for e in resolved.chain] == ["same", "smaller", "small"]
    assert reg.resolve_arch("m").defaults == {}  # a bare model name is an arch too
    assert reg.archs_of("m") == ["same", "small", "smaller"]


def test_arch_with_missing_base_or_model_is_a_clear_error():
    r = _plugin("p", "dist-p")
    r.model("transformer", ":_Cfg", config=":_Cfg")
    r.arch("orphan", base="transfomer_base")
    r.arch("lost", model="transfomer")
    reg = _registry(r)
    with pytest.raises(
        ConfigError, match="names base arch 'transfomer_base', which is not registered"
    ):
        reg.resolve_arch("orphan")
    with pytest.raises(
        ConfigError,
        match=r"model 'transfomer', which is not registered.*Did you mean 'transformer'",
    ):
        reg.resolve_arch("lost")


def test_arch_base_cycle_is_reported():
    r = _plugin("p")
    r.model("m", ":_Cfg")
    r.arch("a", model="m", base="b")
    r.arch("b", model="m", base="a")
    with pytest.raises(ConfigError, match="cycle"):
        _registry(r).resolve_arch("a")


def test_same_name_from_two_plugins_names_both_distributions():
    a, b = _plugin("alpha", "seqx-alpha"), _plugin("beta", "seqx-beta")
    a.model("lstm", "x:Y")
    b.model("lstm", "z:W")
    reg = _registry(a, b)
    with pytest.raises(ComponentConflictError) as info:
        reg.get("model", "lstm")
    assert "seqx-alpha 1.0" in str(info.value) and "seqx-beta 1.0" in str(info.value)
    assert len(reg.conflicts()) == 1


def test_unknown_name_suggests_and_names_the_distribution():
    r = _plugin("p")
    r.model("transformer_lm", "x:Y")
    reg = _registry(r)
    with pytest.raises(UnknownComponentError) as info:
        reg.resolve_arch("transformer_iwslt_de_en")
    msg = str(info.value)
    assert "pip install seqx-transformer" in msg
    with pytest.raises(UnknownComponentError, match="Did you mean 'transformer_lm'"):
        reg.get("model", "transformer_ln")


def test_registrar_rejects_bad_registrations():
    r = _plugin("p")
    with pytest.raises(PluginError, match="unknown kind 'modle'"):
        r.add("modle", "x", "a:b")
    with pytest.raises(PluginError, match="target 'nocolon'"):
        r.model("x", "nocolon")
    with pytest.raises(PluginError, match="name"):
        r.model("bad name", "a:b")
    r.model("x", "a:b")
    with pytest.raises(PluginError, match="twice"):
        r.model("x", "a:c")
    with pytest.raises(PluginError, match="neither model= nor base="):
        r.arch("y")


def test_provenance_descriptions():
    assert Provenance("builtin", source="builtin").describe() == "builtin"
    assert Provenance("x", source="local", path="/d/x.py").describe() == "local: /d/x.py"
    assert Provenance("x", distribution="seqx-x", version="0.3").describe() == "seqx-x 0.3"


def test_an_arch_table_registers_each_arch(seqx_plugins):
    table = {
        "toy": {"base": None, "defaults": {}, "help": "The toy."},
        "toy_big": {"base": "toy", "defaults": {"dim": 64}, "help": "A big toy."},
    }

    def register(r):
        r.model("toy_model", "seqx.models:BaseModel", help="A toy model.")
        r.archs("toy_model", table)

    seqx_plugins.register(register, name="toys")
    registry = seqx_plugins.registry
    assert registry.resolve_arch("toy_big").model.name == "toy_model"
    assert registry.get("arch", "toy_big").help == "A big toy."
    assert sorted(registry.archs_of("toy_model")) == ["toy", "toy_big"]
