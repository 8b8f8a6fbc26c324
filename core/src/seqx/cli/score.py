"""``seqx score --sys FILE --ref FILE``: fairseq-score's BLEU, flags and lines."""

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
@click.option(
    "-o", "--order", default=4, show_default=True, type=click.IntRange(1, 4),
    help="Consider n-grams up to this order.",
)  # fmt: skip
@click.option("--ignore-case", is_flag=True, help="Score case-insensitively.")
@click.option(
    "--sacrebleu",
    "use_sacrebleu",
    is_flag=True,
    help="Score with sacreBLEU (detokenized text, its --tokenize) instead of fairseq's BLEU "
    "of whitespace tokens.",
)
@click.option(
    "--sentence-bleu",
    is_flag=True,
    help="Print every sentence's BLEU (each count starting at 1, as fairseq does).",
)
@click.option(
    "--tokenize",
    default="13a",
    show_default=True,
    help="With --sacrebleu: its tokenizer (none for pre-tokenized text).",
)
def score(
    sys_path: str,
    ref_path: str,
    order: int,
    ignore_case: bool,
    use_sacrebleu: bool,
    sentence_bleu: bool,
    tokenize: str,
) -> None:
    """Score a system output against references as fairseq-score does: fairseq's BLEU of
    whitespace tokens, or sacreBLEU with --sacrebleu."""
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
    if use_sacrebleu:
        import sacrebleu as sb

        click.echo(sb.corpus_bleu(hyps, [refs], tokenize=tokenize, lowercase=ignore_case))
        return
    from seqx.scoring.bleu import BleuStat

    if ignore_case:
        hyps, refs = [h.lower() for h in hyps], [r.lower() for r in refs]
    if sentence_bleu:
        for i, (h, r) in enumerate(zip(hyps, refs, strict=True)):
            stat = BleuStat.one_init()
            stat.add(r.split(), h.split())
            click.echo(f"{i} {stat.result_string(order)}")
        return
    stat = BleuStat()
    for h, r in zip(hyps, refs, strict=True):
        stat.add(r.split(), h.split())
    click.echo(stat.result_string(order))
