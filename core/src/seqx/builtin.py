"""The built-in plugin: core's own components, registered like any plugin's."""

from __future__ import annotations

from seqx.hookspecs import hookimpl
from seqx.registrar import Registrar


@hookimpl
def seqx_register(registry: Registrar) -> None:
    """Register core's tasks, criterions, scorers and commands."""
    _components(registry)
    _commands(registry)


def _components(registry: Registrar) -> None:
    registry.task(
        "translation",
        "seqx.tasks.translation:TranslationTask",
        config="seqx.tasks.translation_config:TranslationConfig",
        help="Translate between two languages of a data folder.",
    )
    registry.task(
        "language_modeling",
        "seqx.tasks.language_modeling:LanguageModelingTask",
        config="seqx.tasks.language_modeling_config:LanguageModelingConfig",
        help="Train a language model on the text of one language.",
    )
    registry.criterion(
        "cross_entropy",
        "seqx.criterions.cross_entropy:CrossEntropyCriterion",
        config="seqx.criterions.configs:CrossEntropyConfig",
        help="Negative log-likelihood of the target tokens.",
    )
    registry.criterion(
        "adaptive_loss",
        "seqx.criterions.adaptive_loss:AdaptiveLoss",
        config="seqx.criterions.configs:AdaptiveLossConfig",
        help="Cross entropy of an adaptive softmax (models with --adaptive-softmax-cutoff).",
    )
    registry.criterion(
        "label_smoothed_cross_entropy",
        "seqx.criterions.label_smoothed_cross_entropy:LabelSmoothedCrossEntropyCriterion",
        config="seqx.criterions.configs:LabelSmoothedCrossEntropyConfig",
        help="Cross entropy with label smoothing (--label-smoothing).",
    )
    registry.scorer(
        "sacrebleu",
        "seqx.scoring.sacrebleu_scorer:SacrebleuScorer",
        config="seqx.scoring.configs:SacrebleuConfig",
        help="sacreBLEU on detokenized text.",
    )
    registry.scorer(
        "bleu",
        "seqx.scoring.bleu:BleuScorer",
        help="BLEU-4 of the token strings as they are (fairseq's default).",
    )


def _commands(registry: Registrar) -> None:
    registry.command(
        "generate",
        "seqx.cli.generate:generate",
        help="Translate a binarized split with a trained model.",
    )
    registry.command(
        "interactive",
        "seqx.cli.interactive:interactive",
        help="Translate raw text from stdin or --input.",
    )
    registry.command("score", "seqx.cli.score:score", help="BLEU of a system output file.")
    registry.command(
        "eval-lm",
        "seqx.cli.eval_lm:eval_lm",
        help="Perplexity of a language model on a binarized split.",
    )
    registry.command(
        "average-checkpoints",
        "seqx.cli.average_checkpoints:average_checkpoints",
        help="Average the weights of several checkpoints.",
    )
    registry.command(
        "preprocess",
        "seqx.cli.preprocess:preprocess",
        help="Build dictionaries and binarize text into a data folder.",
    )
    registry.command(
        "verify",
        "seqx.cli.verify:verify",
        help="Check a data folder's files against their recorded checksums.",
    )
    registry.command("train", "seqx.cli.train:train", help="Train a model.")
    registry.command(
        "convert",
        "seqx.cli.convert:convert",
        help="Convert a checkpoint: fairseq's to seqx's, seqx's to fairseq's or CTranslate2's.",
    )
    registry.command(
        "plugins", "seqx.cli.plugins:plugins", help="List installed plugins and what they register."
    )
    registry.command("plugin", "seqx.cli.plugin_new:plugin", help="Author plugins (plugin new).")
