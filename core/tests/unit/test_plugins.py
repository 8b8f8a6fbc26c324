import json
import os
import pickle
import subprocess
import sys
import textwrap

import pytest

from seqx.errors import PluginError
from seqx.plugins import PluginWarning, load_plugins

GOOD = """
    from seqx import hookimpl

    @hookimpl
    def seqx_register(registry):
        registry.model("{name}", "{module}.impl:Model", help="{name} model")
"""


def _good(site, dist, name, version="1.0"):
    site(
        dist,
        version,
        plugins={name: f"fake_{name}.plugin"},
        modules={f"fake_{name}.plugin": GOOD.format(name=name, module=f"fake_{name}")},
    )


def test_entry_point_plugins_are_found_with_provenance(site):
    _good(site, "seqx-alpha", "alpha", "2.1")
    pm = load_plugins()
    info = next(i for i in pm.infos if i.name == "alpha")
    assert info.status == "ok"
    assert info.provenance.distribution == "seqx-alpha"
    assert info.provenance.version == "2.1"
    assert pm.registry.get("model", "alpha").provenance.describe() == "seqx-alpha 2.1"
    assert pm.registry.get("command", "train").provenance.describe() == "builtin"


def test_plugin_that_raises_on_import_is_isolated(site):
    _good(site, "seqx-alpha", "alpha")
    site(
        "seqx-broken",
        plugins={"broken": "fake_broken.plugin"},
        modules={"fake_broken.plugin": "raise RuntimeError('boom at import')\n"},
    )
    with pytest.warns(
        PluginWarning, match=r"plugin 'broken' \(seqx-broken 1.0\).*RuntimeError: boom at import"
    ):
        pm = load_plugins()
    assert next(i for i in pm.infos if i.name == "broken").status == "broken"
    assert pm.registry.get("model", "alpha")  # the others keep working


def test_plugin_trace_raises_the_original_error(site, monkeypatch):
    site(
        "seqx-broken",
        plugins={"broken": "fake_broken.plugin"},
        modules={"fake_broken.plugin": "raise RuntimeError('boom at import')\n"},
    )
    monkeypatch.setenv("SEQX_PLUGIN_TRACE", "1")
    with pytest.raises(RuntimeError, match="boom at import"):
        load_plugins()


def test_plugin_failing_in_register_leaves_nothing_behind(site):
    site(
        "seqx-half",
        plugins={"half": "fake_half.plugin"},
        modules={
            "fake_half.plugin": """
        from seqx import hookimpl

        @hookimpl
        def seqx_register(registry):
            registry.model("half_model", "x:Y")
            raise ValueError("second registration failed")
    """
        },
    )
    with pytest.warns(PluginWarning, match="ValueError: second registration failed"):
        pm = load_plugins()
    assert ("model", "half_model") not in pm.registry
    assert not pm.is_registered(pm.get_plugin("half"))


def test_misspelled_hook_is_named_with_its_plugin(site):
    site(
        "seqx-typo",
        plugins={"typo": "fake_typo.plugin"},
        modules={
            "fake_typo.plugin": """
        from seqx import hookimpl

        @hookimpl
        def seqx_regster(registry):
            pass
    """
        },
    )
    with pytest.warns(
        PluginWarning,
        match=r"plugin 'typo' \(seqx-typo 1.0\) implements unknown hook 'seqx_regster'; "
        r"did you mean 'seqx_register'",
    ):
        pm = load_plugins()
    assert next(i for i in pm.infos if i.name == "typo").status == "broken"


def test_hook_with_wrong_argument_is_broken_not_fatal(site):
    site(
        "seqx-args",
        plugins={"args": "fake_args.plugin"},
        modules={
            "fake_args.plugin": """
        from seqx import hookimpl

        @hookimpl
        def seqx_register(registry, cfg):
            pass
    """
        },
    )
    with pytest.warns(PluginWarning, match="cfg"):
        pm = load_plugins()
    assert next(i for i in pm.infos if i.name == "args").status == "broken"


def test_hooks_accept_any_subset_of_arguments(site):
    site(
        "seqx-logger",
        plugins={"logger": "fake_logger.plugin"},
        modules={
            "fake_logger.plugin": """
        from seqx import hookimpl
        seen = []

        @hookimpl
        def seqx_log(stats, step):
            seen.append((stats["loss"], step))
    """
        },
    )
    pm = load_plugins()
    pm.hook.seqx_log(stats={"loss": 2.5}, tag="train", step=7)
    import fake_logger.plugin as mod

    assert mod.seen == [(2.5, 7)]


def test_two_distributions_registering_the_same_model(site):
    _good(site, "seqx-alpha", "alpha")
    site(
        "seqx-other",
        plugins={"other": "fake_other.plugin"},
        modules={"fake_other.plugin": GOOD.format(name="alpha", module="fake_other")},
    )
    pm = load_plugins()
    [group] = pm.registry.conflicts()
    assert {e.provenance.distribution for e in group} == {"seqx-alpha", "seqx-other"}
    with pytest.raises(Exception, match="seqx-alpha 1.0.*seqx-other 1.0"):
        pm.registry.get("model", "alpha")


def test_load_allow_list_and_empty(site, monkeypatch):
    _good(site, "seqx-alpha", "alpha")
    _good(site, "seqx-beta", "beta")
    monkeypatch.setenv("SEQX_LOAD_PLUGINS", "seqx-beta")  # a distribution name works too
    pm = load_plugins()
    assert ("model", "beta") in pm.registry and ("model", "alpha") not in pm.registry
    monkeypatch.setenv("SEQX_LOAD_PLUGINS", "")
    pm = load_plugins()
    assert pm.registry.names("model") == []
    assert pm.registry.names("command")  # core's built-ins always load


def test_load_allow_list_naming_a_missing_plugin(site, monkeypatch):
    _good(site, "seqx-alpha", "alpha")
    monkeypatch.setenv("SEQX_LOAD_PLUGINS", "alpah,zzz")
    with pytest.warns(PluginWarning) as record:
        pm = load_plugins()
    messages = [str(w.message) for w in record]
    assert any(
        "'alpah', which is not an installed seqx plugin; did you mean 'alpha'" in m
        for m in messages
    )
    assert any("'zzz'" in m and "installed: alpha" in m for m in messages)
    assert {i.name: i.status for i in pm.infos}["zzz"] == "missing"


def test_disable_by_env_and_argument(site, monkeypatch):
    _good(site, "seqx-alpha", "alpha")
    _good(site, "seqx-beta", "beta")
    monkeypatch.setenv("SEQX_DISABLE_PLUGINS", "alpha")
    pm = load_plugins(disable=["beta"])
    assert not {"alpha", "beta"} & set(pm.registry.names("model"))
    assert {i.name: i.status for i in pm.infos}["beta"] == "disabled"
    assert os.environ["SEQX_DISABLE_PLUGINS"] == "alpha,beta"  # children see both


LOCAL = """
    from seqx import hookimpl
    from .helpers import Thing

    @hookimpl
    def seqx_register(registry):
        registry.model("{name}", ".helpers:Thing", help="local")
"""


def _plugin_dir(tmp_path, name, model):
    d = tmp_path / name
    d.mkdir()
    (d / "helpers.py").write_text("class Thing:\n    value = 41\n")
    (d / "plugin.py").write_text(textwrap.dedent(LOCAL.format(name=model)))
    return d


def test_plugin_dirs_load_with_unique_module_names(site, tmp_path, monkeypatch):
    one = _plugin_dir(tmp_path, "one", "m1")
    two = _plugin_dir(tmp_path, "two", "m2")
    pm = load_plugins(plugin_dirs=[str(one), str(two)])
    t1 = pm.registry.get("model", "m1").load()
    t2 = pm.registry.get("model", "m2").load()
    assert t1 is not t2 and t1.__module__ != t2.__module__
    assert pm.registry.get("model", "m1").provenance.describe() == f"local: {one / 'plugin.py'}"
    assert os.environ["SEQX_PLUGIN_PATH"].split(os.pathsep) == [str(one), str(two)]
    # helper modules without hooks are not plugins
    assert sorted(i.name for i in pm.infos if i.provenance.source == "local") == [
        "plugin",
        f"plugin@{two}",
    ]


def test_missing_plugin_dir_is_an_error(tmp_path, site):
    with pytest.raises(PluginError, match="does not exist"):
        load_plugins(plugin_dirs=[str(tmp_path / "nope")])


CHILD = """
import pickle, sys
obj = pickle.loads(sys.stdin.buffer.read())
print(type(obj).__module__, obj.value)
"""


def test_local_plugin_objects_reach_fresh_processes(site, tmp_path):
    """A worker or rank started afresh (spawn, torchrun) unpickles local plugin objects."""
    d = _plugin_dir(tmp_path, "spawned", "m3")
    pm = load_plugins(plugin_dirs=[str(d)])
    cls = pm.registry.get("model", "m3").load()
    proc = subprocess.run(
        [sys.executable, "-c", CHILD], input=pickle.dumps(cls()), capture_output=True, check=False
    )
    assert proc.returncode == 0, proc.stderr.decode()
    assert proc.stdout.decode().split() == [cls.__module__, "41"]
    rank = subprocess.run(
        [
            sys.executable,
            "-c",
            "from seqx.plugins import load_plugins; "
            "print(load_plugins().registry.get('model', 'm3').load().value)",
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert rank.stdout.strip() == "41", rank.stderr


def test_plugin_info_json(site):
    _good(site, "seqx-alpha", "alpha")
    info = next(i for i in load_plugins().infos if i.name == "alpha")
    data = json.loads(json.dumps(info.as_dict()))
    assert data["distribution"] == "seqx-alpha" and data["status"] == "ok"


def test_every_lifecycle_hook_reaches_plugins(seqx_plugins):
    calls = []

    class Lifecycle:
        from seqx import hookimpl

        @hookimpl
        def seqx_train_start(self, trainer):
            calls.append(("train_start", trainer))

        @hookimpl
        def seqx_epoch_end(self, epoch, stats):
            calls.append(("epoch_end", epoch, stats["loss"]))

        @hookimpl
        def seqx_validation_end(self, stats):
            calls.append(("validation_end", stats["loss"]))

        @hookimpl
        def seqx_checkpoint_saved(self, path):
            calls.append(("checkpoint_saved", path))

        @hookimpl
        def seqx_train_end(self, trainer, stats):
            calls.append(("train_end", stats["loss"]))

        @hookimpl
        def seqx_upgrade_checkpoint(self, state):
            if state.get("version") == 1:
                return {**state, "version": 2}
            return None

    seqx_plugins.register(Lifecycle(), name="lifecycle")
    hook = seqx_plugins.pm.hook
    hook.seqx_train_start(trainer="T")
    hook.seqx_epoch_end(trainer="T", epoch=3, stats={"loss": 1.5})
    hook.seqx_validation_end(trainer="T", stats={"loss": 1.2})
    hook.seqx_checkpoint_saved(trainer="T", path="/x/checkpoint_last.pt")
    hook.seqx_train_end(trainer="T", stats={"loss": 1.1})
    assert calls == [
        ("train_start", "T"),
        ("epoch_end", 3, 1.5),
        ("validation_end", 1.2),
        ("checkpoint_saved", "/x/checkpoint_last.pt"),
        ("train_end", 1.1),
    ]
    assert hook.seqx_upgrade_checkpoint(state={"version": 1}) == {"version": 2}  # firstresult
    assert hook.seqx_upgrade_checkpoint(state={"version": 2}) is None
