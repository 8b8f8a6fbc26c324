"""``seqx convert CHECKPOINT OUTPUT``: between seqx's checkpoints and fairseq's."""

from __future__ import annotations

from typing import Any

import click

FORMATS = ("seqx", "fairseq", "ctranslate2")
"""What ``--to`` writes."""


@click.command()
@click.argument("checkpoint")
@click.argument("output")
@click.option(
    "--to",
    "to",
    type=click.Choice(FORMATS),
    default="seqx",
    show_default=True,
    help="seqx: a native seqx checkpoint; fairseq: a checkpoint fairseq-generate and "
    "from_pretrained load; ctranslate2: a CTranslate2 model folder (Transformers; needs "
    "pip install ctranslate2).",
)
@click.option(
    "--data",
    default=None,
    help="The data folder of the model's dictionaries: the model is loaded on it (its "
    "dictionaries must fit) and a seqx checkpoint records their fingerprints, so later "
    "loads on another folder are refused; ctranslate2: the vocabularies (default: the "
    "folder the model was trained on).",
)
@click.option(
    "--quantization",
    type=click.Choice(["int8", "int8_float16", "int8_bfloat16", "int16", "float16", "bfloat16"]),
    default=None,
    help="ctranslate2: store the weights quantized.",
)
def convert(
    checkpoint: str, output: str, to: str, data: str | None, quantization: str | None
) -> None:
    """Write CHECKPOINT (seqx's or one fairseq-train wrote) as OUTPUT in another format.

    A fairseq checkpoint is read through an allow-list (nothing in it runs); the model
    plugin that provides its arch maps its options and weights.
    """
    from seqx.checkpoint import read_checkpoint, save_state
    from seqx.plugins import get_plugin_manager

    pm = get_plugin_manager()
    state = read_checkpoint(checkpoint, pm)
    if data is not None:
        state["dictionaries"] = _checked_dictionaries(checkpoint, data)
    model = state["config"]["model"]
    provider = (state.get("components") or {}).get("model") or {}
    if to == "seqx":
        save_state(state, output)
    elif to == "fairseq":
        from seqx.compat.fairseq.exports import export_state

        save_state(export_state(state, pm.registry, checkpoint), output)
    else:
        from seqx.compat.ctranslate2 import export_ctranslate2

        export_ctranslate2(state, pm.registry, checkpoint, output, data, quantization)
    source = " (imported from fairseq)" if "imported" in state else ""
    by = f"{provider.get('distribution')} {provider.get('version') or ''}".strip()
    click.echo(
        f"wrote {output}: a {to} {'model' if to == 'ctranslate2' else 'checkpoint'} of "
        f"model '{model['_name']}' (--arch {model.get('_arch') or model['_name']}), "
        f"provided by {by or 'an unknown plugin'}{source}"
    )


def _checked_dictionaries(checkpoint: str, data: str) -> dict[str, dict[str, Any]]:
    """The records of ``data``'s dictionaries, once the checkpoint's model loaded on them."""
    from seqx.checkpoint import dictionary_records
    from seqx.hub import load_model_ensemble

    loaded = load_model_ensemble([checkpoint], data=data)
    return dictionary_records(loaded.task)
