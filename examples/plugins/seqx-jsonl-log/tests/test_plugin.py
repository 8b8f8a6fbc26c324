import json

from seqx.cli.main import main
from seqx.testing import ComponentConformance, PluginConformance


class TestPlugin(PluginConformance):
    plugin = "seqx_jsonl_log.plugin"


class TestCommand(ComponentConformance):
    plugin = "seqx_jsonl_log.plugin"
    kind = "command"
    name = "log-summary"


def test_logged_stats_become_json_lines_and_a_summary(seqx_plugins, tmp_path, monkeypatch, capsys):
    log = tmp_path / "run.jsonl"
    monkeypatch.setenv("SEQX_JSONL_LOG", str(log))
    seqx_plugins.register("seqx_jsonl_log.plugin")
    hook = seqx_plugins.pm.hook
    hook.seqx_log(stats={"loss": 5.0, "lr": 1e-3}, tag="train_inner", step=10)
    hook.seqx_log(stats={"loss": 4.2}, tag="valid", step=10)
    hook.seqx_log(stats={"loss": 3.9}, tag="valid", step=20)
    hook.seqx_log(stats={"loss": 4.4}, tag="valid", step=30)
    records = [json.loads(line) for line in log.read_text().splitlines()]
    assert records[0] == {"tag": "train_inner", "step": 10, "loss": 5.0, "lr": 1e-3}
    try:
        main(["log-summary", str(log)])
    except SystemExit as exc:
        assert exc.code == 0
    out = capsys.readouterr().out
    assert "valid: 3 records, last at step 30" in out
    assert "best valid loss: 3.9 at step 20" in out


def test_bad_log_line_is_named(seqx_plugins, tmp_path, capsys):
    seqx_plugins.register("seqx_jsonl_log.plugin")
    log = tmp_path / "bad.jsonl"
    log.write_text('{"tag": "valid", "loss": 1}\n{oops\n')
    try:
        main(["log-summary", str(log)])
    except SystemExit as exc:
        assert exc.code == 1
    assert "bad.jsonl, line 2: not JSON" in capsys.readouterr().err
