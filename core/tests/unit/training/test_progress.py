import io
import json

from seqx.training.progress import Progress, default_format, format_stat

STATS = {
    "loss": 5.12345,
    "nll_loss": 4.9,
    "ppl": 29.86,
    "wps": 3041.7,
    "lr": 0.0005,
    "num_updates": 100,
}


def _progress(fmt, stream, emitted):
    return Progress(
        range(3),
        epoch=1,
        total=135,
        log_format=fmt,
        stream=stream,
        emit=lambda s, t, n: emitted.append((t, n)),
    )


def test_simple_lines_look_like_fairseqs():
    out, emitted = io.StringIO(), []
    p = _progress("simple", out, emitted)
    list(p)
    p.log(STATS, "train_inner", 100, 100)
    p.print(STATS, "train", 135)
    lines = out.getvalue().splitlines()
    assert lines[0] == (
        "epoch 001: 100 / 135 loss=5.123, nll_loss=4.900, ppl=29.86, wps=3042, "
        "lr=0.0005, num_updates=100"
    )
    assert lines[1].startswith("epoch 001 | loss 5.123 | nll_loss 4.900 | ppl 29.86")
    assert emitted == [("train_inner", 100), ("train", 135)]  # the seqx_log hook sees both


def test_json_and_none_formats():
    out, emitted = io.StringIO(), []
    p = _progress("json", out, emitted)
    p.log(STATS, "train_inner", 100, 100)
    record = json.loads(out.getvalue())
    assert record["epoch"] == 1 and record["update"] == 100 and record["loss"] == 5.12345
    quiet = io.StringIO()
    p = _progress("none", quiet, emitted)
    p.print(STATS, "valid", 100)
    assert quiet.getvalue() == "" and emitted[-1] == ("valid", 100)


def test_tqdm_bar_and_default_choice():
    out = io.StringIO()
    p = _progress("tqdm", out, [])
    assert list(p) == [0, 1, 2]
    assert "epoch 001" in out.getvalue()  # the bar was drawn on the stream
    assert default_format(None, io.StringIO()) == "simple"
    assert default_format("json", io.StringIO()) == "json"
    assert format_stat("lr", 0.000123456) == "0.0001235"
