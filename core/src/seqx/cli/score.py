"""``seqx score --sys FILE --ref FILE``: BLEU with sacrebleu (fairseq-score's flags)."""

from __future__ import annotations

import click

from seqx.errors import SeqxError


def _read(path: str, flag: str) -> list[str]:
    from seqx.data.lines import read_lines

    return read_lines(path, flag)


@click.command()
@click.option(
    "-s",
    "--sys",
    "sys_path",
    default="-",
    show_default=True,
    help="System output, one sentence per line ('-': stdin).",
)
@click.option("-r", "--ref", "ref_path", required=True, help="References, one per line.")
@click.option("--sentence-bleu", is_flag=True, help="Print the BLEU of every sentence.")
@click.option("--ignore-case", is_flag=True, help="Score case-insensitively.")
@click.option(
    "--tokenize",
    default="13a",
    show_default=True,
    help="sacrebleu tokenizer (none for pre-tokenized text).",
)
@click.option(
    "--sacrebleu",
    is_flag=True,
    hidden=True,
    help="Accepted for fairseq-score compatibility (scoring is always sacrebleu).",
)
def score(
    sys_path: str,
    ref_path: str,
    sentence_bleu: bool,
    ignore_case: bool,
    tokenize: str,
    sacrebleu: bool,
) -> None:
    """Score a system output against references with sacreBLEU."""
    import sacrebleu as sb

    hyps = _read(sys_path, "--sys")
    refs = _read(ref_path, "--ref")
    if not hyps and not refs:
        raise SeqxError(
            f"--sys '{sys_path}' and --ref '{ref_path}' are both empty: nothing to score"
        )
    if len(hyps) != len(refs):
        raise SeqxError(
            f"--sys has {len(hyps)} lines but --ref has {len(refs)}; they must be line-aligned"
        )
    if sentence_bleu:
        for i, (h, r) in enumerate(zip(hyps, refs), 1):
            b = sb.sentence_bleu(h, [r], tokenize=tokenize, lowercase=ignore_case)
            click.echo(f"{i}\t{b.score:.2f}")
        return
    click.echo(sb.corpus_bleu(hyps, [refs], tokenize=tokenize, lowercase=ignore_case))
