"""Options of generation, with fairseq's flag names (light module)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Annotated

from seqx.config.ranges import Range, check_ranges
from seqx.errors import ConfigError
from seqx.tasks.language_modeling_config import BreakMode


@dataclass(kw_only=True)
class GenerationConfig:
    """Options of beam search and sampling."""

    beam: Annotated[int, Range(ge=1)] = 5
    """Beam size."""
    nbest: Annotated[int, Range(ge=1)] = 1
    """Number of hypotheses to output per sentence."""
    max_len_a: Annotated[float, Range(ge=0)] = 0.0
    """Generate at most a*x+b tokens, x the source length."""
    max_len_b: Annotated[int, Range(ge=0)] = 200
    """Generate at most a*x+b tokens, x the source length."""
    min_len: Annotated[int, Range(ge=0)] = 1
    """Minimum generation length (eos is forbidden before)."""
    lenpen: float = 1.0
    """Length penalty: <1.0 favors shorter, >1.0 longer sentences."""
    unkpen: float = 0.0
    """Unknown-word penalty: <0 produces more unks, >0 fewer."""
    unnormalized: bool = False
    """Do not normalize hypothesis scores by length."""
    no_repeat_ngram_size: Annotated[int, Range(ge=0)] = 0
    """Never repeat an n-gram of this size (0: off)."""
    sampling: bool = False
    """Sample hypotheses instead of beam search."""
    sampling_topk: int = -1
    """Sample from the k most likely tokens (-1: all)."""
    sampling_topp: float = -1.0
    """Sample from the smallest set of tokens whose probability exceeds p (-1: off)."""
    temperature: Annotated[float, Range(gt=0)] = 1.0
    """Temperature for generation."""
    prefix_size: Annotated[int, Range(ge=0)] = 0
    """Force the first N target tokens to the reference's (generate only)."""

    def __post_init__(self) -> None:
        check_ranges(self)  # also for configs built in Python, not only from flags
        if self.nbest > self.beam:
            raise ConfigError(
                f"--nbest {self.nbest} is more than --beam {self.beam}: the search keeps "
                "--beam hypotheses per sentence; raise --beam or lower --nbest"
            )


@dataclass(kw_only=True)
class DecodingConfig:
    """Which checkpoints to load, and on which device and in which precision to run them
    (seqx generate, interactive and eval-lm)."""

    path: str | None = None
    """Checkpoint(s) to use; PATH1:PATH2 is an ensemble (their probabilities averaged)."""
    use_ema: bool = False
    """Use the moving average of the weights that --ema-decay kept."""
    cpu: bool = False
    """Use the CPU even when CUDA is available."""
    amp: bool = False
    """Compute in mixed precision: bfloat16 on CPU, float16 on CUDA."""
    fp16: bool = False
    """Cast the models to float16 (fairseq's --fp16; for CUDA: on CPU it is slow)."""
    bf16: bool = False
    """Cast the models to bfloat16 (fairseq's --bf16)."""
    int8: bool = False
    """On CPU, multiply in int8: linear layers' weights quantized once per output channel,
    their inputs at each call. Faster; the results change a little."""
    seed: int = 1
    """Random seed (for sampling)."""
    source_lang: str | None = field(default=None, metadata={"aliases": ("-s",)})
    """Source language (default: the checkpoint's)."""
    target_lang: str | None = field(default=None, metadata={"aliases": ("-t",)})
    """Target language (default: the checkpoint's)."""
    model_overrides: str = "{}"
    """Options of the checkpoints' task and model to override, as a Python dict literal:
    "{'max_source_positions': 2048}"."""


@dataclass(kw_only=True)
class PostProcessConfig:
    """Undoing subwords in the output lines (seqx generate and interactive)."""

    remove_bpe: str | None = field(default=None, metadata={"const": "subword_nmt"})
    """Undo subwords in S, T, H and D lines: 'subword_nmt' (alone), 'sentencepiece', '@@ ',
    ... (alias of --post-process)."""
    post_process: str | None = field(default=None, metadata={"const": "subword_nmt"})
    """Undo subwords in S, T, H and D lines: 'subword_nmt' (alone), 'sentencepiece',
    'wordpiece', 'letter', '@@ ', ..."""

    @property
    def symbol(self) -> str | None:
        """``--post-process``, or its alias ``--remove-bpe``."""
        return self.post_process or self.remove_bpe


@dataclass(kw_only=True)
class GenerateConfig:
    """Options of seqx generate."""

    data: str = field(metadata={"positional": True})
    """Data folder made by seqx preprocess."""
    gen_subset: str = "test"
    """The split to translate."""
    batch_size: Annotated[int | None, Range(ge=1)] = None
    """Maximum number of sentences in a batch."""
    max_tokens: Annotated[int | None, Range(ge=1)] = None
    """Maximum number of tokens in a batch."""
    quiet: bool = False
    """Print only the speed and score lines."""
    results_path: str | None = None
    """Write the output to RESULTS_PATH/generate-SUBSET.txt instead of stdout."""
    num_workers: Annotated[int, Range(ge=0)] = 0
    """DataLoader worker processes."""
    decode_workers: Annotated[int, Range(ge=1)] = 1
    """On CPU, decode batches in this many forked processes of one thread each (2 on a
    2-core machine decodes faster than one process with 2 threads); sampling then seeds
    each batch from --seed and its index."""
    skip_invalid_size_inputs_valid_test: bool = False
    """Skip sentences longer than the model's positions instead of failing."""
    max_source_positions: Annotated[int | None, Range(ge=1)] = None
    """Override the source length limit of the checkpoint's task."""


@dataclass(kw_only=True)
class InteractiveConfig:
    """Options of seqx interactive."""

    data: str = field(metadata={"positional": True})
    """Data folder made by seqx preprocess (its dictionaries and subword model)."""
    input: str = "-"
    """File to translate, one sentence per line ('-': standard input)."""
    buffer_size: Annotated[int, Range(ge=1)] = 1
    """Read this many sentences before translating them as a batch."""
    batch_size: Annotated[int | None, Range(ge=1)] = None
    """Maximum number of sentences in a batch (default: --buffer-size)."""
    skip_invalid_size_inputs_valid_test: bool = False
    """Skip (with a warning) input lines longer than the model's source positions instead
    of stopping at the first."""


@dataclass(kw_only=True)
class EvalLMConfig:
    """Options of seqx eval-lm."""

    data: str = field(metadata={"positional": True})
    """Data folder made by seqx preprocess --only-source."""
    gen_subset: str = "test"
    """The split to score."""
    batch_size: Annotated[int | None, Range(ge=1)] = None
    """Maximum number of samples in a batch."""
    max_tokens: Annotated[int | None, Range(ge=1)] = None
    """Maximum number of tokens in a batch (default: 4096 when --batch-size is not given)."""
    tokens_per_sample: Annotated[int | None, Range(ge=1)] = None
    """Override the checkpoint's --tokens-per-sample (the length of a scored block)."""
    sample_break_mode: BreakMode | None = None
    """Override the checkpoint's --sample-break-mode."""
    num_workers: Annotated[int, Range(ge=0)] = 0
    """DataLoader worker processes."""
    skip_invalid_size_inputs_valid_test: bool = False
    """Skip samples longer than the model's positions instead of failing."""
