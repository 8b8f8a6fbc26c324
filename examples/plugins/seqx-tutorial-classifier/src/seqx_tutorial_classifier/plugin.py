"""Registers the tutorial's task, model and arch (what fairseq's decorators did)."""

from seqx import hookimpl


@hookimpl
def seqx_register(registry):
    registry.task(
        "simple_classification",
        "seqx_tutorial_classifier.task:SimpleClassificationTask",
        config="seqx_tutorial_classifier.config:SimpleClassificationConfig",
        help="Classify a sequence of characters (fairseq's tutorial task).",
    )
    registry.model(
        "rnn_classifier",
        "seqx_tutorial_classifier.model:RNNClassifier",
        config="seqx_tutorial_classifier.config:RNNClassifierConfig",
        help="A character RNN classifier (fairseq's tutorial model).",
    )
    registry.arch(
        "pytorch_tutorial_rnn",
        model="rnn_classifier",
        defaults={"hidden_dim": 128},
        help="The PyTorch tutorial's RNN: 128 hidden units.",
    )
