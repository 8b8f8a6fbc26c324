"""fairseq-train flags that seqx does not take, each with the reason a user is told.

A flag here is refused with its reason, never with "no such option";
``tests/test_unknown_flags.py`` checks that every flag of fairseq 0.12.2's
``fairseq-train`` (the list its parser gives, ``tests/fixtures/fairseq/train_flags.json``)
is either accepted by seqx or listed here.
"""

from __future__ import annotations

NOT_YET = "not in seqx yet"

_GROUPS: dict[str, tuple[str, ...]] = {
    # Transformer features of fairseq's language models, still to come
    f"{NOT_YET}: an adaptive input/softmax, LayerDrop, activation checkpointing and "
    "pretrained embeddings for seqx-transformer are planned with its transformer_lm": (
        "--adaptive-input", "--adaptive-softmax-cutoff", "--adaptive-softmax-dropout",
        "--adaptive-softmax-factor", "--tie-adaptive-weights", "--tie-adaptive-proj",
        "--encoder-layerdrop", "--decoder-layerdrop", "--encoder-layers-to-keep",
        "--decoder-layers-to-keep", "--checkpoint-activations", "--offload-activations",
        "--encoder-embed-path", "--decoder-embed-path", "--char-inputs",
    ),
    f"{NOT_YET}: the language_modeling task's further options are planned with the "
    "Transformer language models": (
        "--add-bos-token", "--future-target", "--past-target", "--self-target",
        "--output-dictionary-size", "--pad-to-fixed-bsz", "--pad-to-fixed-length",
        "--shorten-method", "--shorten-data-split-list",
    ),
    "an LSTM language model has no encoder to attend to; seqx's lstm_lm has no attention":
        ("--decoder-attention",),
    "seqx restores the optimizer state as it was saved; to resume with another learning "
    "rate give --lr with --reset-lr-scheduler": ("--optimizer-overrides",),
    f"{NOT_YET}: alignment training (--load-alignments) comes with transformer_align": (
        "--load-alignments",
    ),
    "seqx-transformer builds fairseq's standard Transformer; this research variant "
    "(cross-self-attention, no cross-attention, xformers configs, quantization noise, "
    "BASE layers) is not part of it; a model plugin can add it": (
        "--cross-self-attention", "--no-cross-attention", "--no-decoder-final-norm",
        "--encoder-xformers-att-config", "--decoder-xformers-att-config",
        "--quant-noise-pq", "--quant-noise-pq-block-size", "--quant-noise-scalar",
        "--quantization-config-path", "--base-layers", "--base-sublayers", "--base-shuffle",
    ),
    "seqx takes a rank and its rendezvous from torchrun's environment (RANK, WORLD_SIZE, "
    "MASTER_ADDR/PORT) or SLURM's, or starts its own ranks with --nproc-per-node; start "
    "the ranks with torchrun instead": (
        "--distributed-init-method", "--distributed-rank", "--distributed-num-procs",
        "--distributed-no-spawn", "--device-id",
    ),
    "seqx wraps the model in torch's DistributedDataParallel with torch's defaults; its "
    "buckets, hooks and these fairseq-only synchronisation schemes are not configurable": (
        "--bucket-cap-mb", "--broadcast-buffers", "--ddp-comm-hook",
        "--gradient-as-bucket-view", "--fast-stat-sync", "--all-gather-list-size",
        "--heartbeat-timeout", "--use-bmuf", "--localsgd-frequency", "--slowmo-momentum",
        "--slowmo-base-algorithm", "--fp32-reduce-scatter", "--fix-batches-to-gpus",
    ),
    "model and pipeline parallelism, ZeRO sharding, TPUs and fairseq's FSDP options are "
    "not in seqx; --ddp-backend fully_sharded names the FSDP backend": (
        "--model-parallel-size", "--pipeline-model-parallel", "--pipeline-balance",
        "--pipeline-devices", "--pipeline-chunks", "--pipeline-checkpoint",
        "--pipeline-encoder-balance", "--pipeline-encoder-devices",
        "--pipeline-decoder-balance", "--pipeline-decoder-devices", "--zero-sharding",
        "--tpu", "--cpu-offload", "--no-reshard-after-forward", "--min-params-to-wrap",
        "--not-fsdp-flatten-parameters", "--use-sharded-state",
        "--load-checkpoint-on-all-dp-ranks", "--checkpoint-shard-count",
    ),
    "seqx's --amp is torch.autocast with torch's gradient scaler and its defaults; use "
    "--fp16 (with --fp16-init-scale, --fp16-scale-window) for a scale you choose": (
        "--amp-batch-retries", "--amp-init-scale", "--amp-scale-window",
    ),
    "seqx's mixed precision keeps float32 master weights per parameter; fairseq's "
    "flattening switch has no meaning there": ("--fp16-no-flatten-grads",),
    "seqx logs to the terminal, --log-file, TensorBoard and Weights & Biases; other "
    "services plug in through the seqx_log hook (a logging plugin)": (
        "--aim-repo", "--aim-run-hash", "--azureml-logging",
    ),
    "seqx reads the indices of the special symbols from the dictionary files": (
        "--pad", "--eos", "--unk",
    ),
    "seqx's data loader and batching have no such knob: batches are formed by size once "
    "per epoch and shuffled with --seed": (
        "--data-buffer-size", "--grouped-shuffling", "--update-epoch-batch-itr",
        "--update-ordered-indices-seed", "--num-batch-buckets", "--required-seq-len-multiple",
        "--skip-remainder-batch", "--use-plasma-view", "--plasma-path",
    ),
    "seqx validates every --valid-subset in full and on its own; subsets are not joined "
    "and validation is not capped": (
        "--combine-valid-subsets", "--combine-val", "--ignore-unused-valid-subsets",
        "--max-valid-steps", "--nval", "--fixed-validation-seed",
    ),
    "seqx writes checkpoints atomically in the training process; fairseq's asynchronous "
    "writers are not there": ("--save-async", "--write-checkpoints-asynchronously"),
    f"{NOT_YET}": (
        "--truncate-source", "--eval-bleu-detok-args", "--keep-interval-updates-pattern",
        "--continue-once", "--empty-cache-freq", "--reset-logging", "--checkpoint-suffix",
    ),
    "fairseq's switches for its own profiler, crash suppression and ONNX export path have "
    "no counterpart: use torch.profiler; a failed update stops with a message": (
        "--profile", "--suppress-crashes", "--export", "--on-cpu-convert-precision",
    ),
    "decoding options belong to seqx generate, not to seqx train": (
        "--gen-subset", "--num-shards", "--shard-id", "--scoring",
    ),
    "fairseq's old name of --activation-dropout; use --activation-dropout": ("--relu-dropout",),
}  # fmt: skip

ABSENT_FLAGS: dict[str, str] = {flag: reason for reason, flags in _GROUPS.items() for flag in flags}
"""fairseq-train flag -> why seqx does not take it."""
