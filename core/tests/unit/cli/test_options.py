"""Click options made from config fields: fairseq's flags whose value is optional."""

from dataclasses import dataclass, field

import click
from click.testing import CliRunner

from seqx.cli.options import make_param
from seqx.config.fields import config_fields


@dataclass(kw_only=True)
class Output:
    remove_bpe: str | None = field(default=None, metadata={"const": "subword_nmt"})
    """Undo subwords."""
    nbest: int = 1
    """Hypotheses per sentence."""


def _parse(*args: str) -> dict:
    params = [make_param(spec, spec.default) for spec in config_fields(Output)]
    seen = {}
    command = click.Command("x", params=params, callback=lambda **kw: seen.update(kw))
    command.params.append(click.Argument(["data"], required=False))
    result = CliRunner().invoke(command, list(args))
    assert result.exit_code == 0, result.output
    return seen


def test_a_flag_with_an_optional_value_alone_takes_its_const():
    assert _parse("--remove-bpe", "--nbest", "2")["remove_bpe"] == "subword_nmt"
    assert _parse("--remove-bpe")["remove_bpe"] == "subword_nmt"
    assert _parse("--remove-bpe", "sentencepiece")["remove_bpe"] == "sentencepiece"
    assert _parse("--remove-bpe=@@ ", "data-bin")["remove_bpe"] == "@@ "
    assert _parse("--nbest", "2")["remove_bpe"] is None
