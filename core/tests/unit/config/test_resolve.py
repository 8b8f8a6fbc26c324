import json
from dataclasses import dataclass, field

import pytest

from seqx.config.resolve import (
    RunConfig,
    Section,
    build,
    config_from_dict,
    load_config_file,
    select,
)
from seqx.errors import ConfigError


@dataclass(kw_only=True)
class ModelCfg:
    dim: int = 8
    """Width."""
    betas: tuple[float, float] = (0.9, 0.999)
    """Betas."""
    lr: tuple[float, ...] = (1.0,)
    """Learning rates."""


@dataclass(kw_only=True)
class OptCfg:
    lr: tuple[float, ...] = (0.5,)
    """Learning rates."""


@dataclass(kw_only=True)
class WrongLr:
    lr: float = 0.1
    """A float lr."""


@dataclass(kw_only=True)
class NeedsData:
    data: str = field(metadata={"positional": True})
    """Data folder."""


MODEL = Section("model", kind="arch", flag="--arch", required=True)
OPT = Section("optimizer", kind="optimizer", flag="--optimizer")
TASK = Section("task", kind="task", flag="--task")


@pytest.fixture
def registry(seqx_plugins):
    def register(r):
        r.model("m", ":ModelCfg", config=f"{__name__}:ModelCfg", help="m")
        r.arch("m_big", model="m", defaults={"dim": 64, "betas": [0.8, 0.9]})
        r.arch("m_bigger", base="m_big", defaults={"dim": 128})
        r.arch("m_bad", model="m", defaults={"dimm": 3})
        r.arch("m_badtype", model="m", defaults={"dim": "wide"})
        r.optimizer("o", ":OptCfg", config=f"{__name__}:OptCfg", help="o")
        r.optimizer("w", ":WrongLr", config=f"{__name__}:WrongLr", help="w")
        r.task("t", ":NeedsData", config=f"{__name__}:NeedsData", help="t")

    seqx_plugins.register(register, name="resolve_test")
    return seqx_plugins.registry


def test_precedence_flag_over_arch_over_dataclass(registry):
    sel = [select(registry, MODEL, "m_bigger")]
    assert build(sel, {}).sections["model"].config == ModelCfg(dim=128, betas=(0.8, 0.9))
    assert build(sel, {"dim": 3}).sections["model"].config.dim == 3
    assert build([select(registry, MODEL, "m")], {}).sections["model"].config == ModelCfg()


def test_arch_default_that_is_not_a_field(registry):
    with pytest.raises(
        ConfigError, match=r"sets 'dimm', which is not an option of model 'm'; did you mean 'dim'"
    ):
        select(registry, MODEL, "m_bad")
    with pytest.raises(ConfigError, match="sets dim='wide', but 'dim' takes int"):
        select(registry, MODEL, "m_badtype")


def test_shared_field_sets_every_component_and_keeps_own_defaults(registry):
    sel = [select(registry, MODEL, "m"), select(registry, OPT, "o")]
    cfg = build(sel, {})
    assert cfg.sections["model"].config.lr == (1.0,) and cfg.sections["optimizer"].config.lr == (
        0.5,
    )
    cfg = build(sel, {"lr": (0.1,)})
    assert cfg.sections["model"].config.lr == (0.1,) and cfg.sections["optimizer"].config.lr == (
        0.1,
    )


def test_shared_field_with_conflicting_types(registry):
    sel = [select(registry, MODEL, "m"), select(registry, OPT, "w")]
    with pytest.raises(ConfigError, match="--lr is an option of both"):
        build(sel, {})


def test_required_field_and_required_section(registry):
    with pytest.raises(ConfigError, match="missing argument DATA"):
        build([select(registry, TASK, "t")], {})
    with pytest.raises(ConfigError, match="--arch is required"):
        select(registry, MODEL, None)


def test_json_round_trip_and_replay(registry, tmp_path):
    sel = [
        select(registry, MODEL, "m_big"),
        select(registry, OPT, "o"),
        select(registry, TASK, "t"),
    ]
    cfg = build(sel, {"dim": 5, "data": "bin"})
    path = tmp_path / "config.json"
    path.write_text(cfg.to_json())
    data = load_config_file(str(path))
    assert data["model"]["_name"] == "m" and data["model"]["_arch"] == "m_big"
    replayed = build(sel, {}, replay=data)
    assert replayed.to_dict() == cfg.to_dict()
    assert replayed.sections["model"].config.betas == (0.8, 0.9)  # a tuple again, not a list
    assert (
        build(sel, {"dim": 6}, replay=data).sections["model"].config.dim == 6
    )  # flags override the file
    assert config_from_dict(ModelCfg, data["model"]) == cfg.sections["model"].config
    assert isinstance(cfg, RunConfig)


def test_bad_config_files_name_file_and_line(tmp_path, registry):
    bad = tmp_path / "bad.json"
    bad.write_text('{\n  "model": {\n    "dim": 3,,\n  }\n}')
    with pytest.raises(ConfigError, match=r"bad.json', line 3: not valid JSON"):
        load_config_file(str(bad))
    with pytest.raises(ConfigError, match="does not exist"):
        load_config_file(str(tmp_path / "none.json"))
    sel = [select(registry, MODEL, "m")]
    with pytest.raises(ConfigError, match=r"'model.dim' is 'x', expected int"):
        build(sel, {}, replay={"model": {"_name": "m", "dim": "x"}}, replay_source="f.json")
    with pytest.raises(ConfigError, match=r"'model.depth' is not an option"):
        build(sel, {}, replay={"model": {"_name": "m", "depth": 2}}, replay_source="f.json")
    assert json.loads(build(sel, {}).to_json())["model"]["dim"] == 8
