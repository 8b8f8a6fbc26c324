#!/usr/bin/env bash
# The main job (`make demo`): raw text to BLEU on the bundled sample corpus.
# Runs in the venv that `make demo` prepared (its bin/ is first on PATH).
# Output: runs/demo/{raw,data-bin,checkpoints,generate-test.txt}.
set -euo pipefail
cd "$(dirname "$0")/.."
work=runs/demo
rm -rf "$work" && mkdir -p "$work"
start=$(date +%s)

echo "== 1. sample corpus (German -> English, needs reordering)"
python -m seqx.testing.corpus "$work/raw" --train 20000 --valid 500 --test 500

echo "== 2. seqx preprocess: joint sentencepiece model, joined dictionary, mmap binaries"
seqx preprocess -s de -t en \
    --trainpref "$work/raw/train" --validpref "$work/raw/valid" --testpref "$work/raw/test" \
    --destdir "$work/data-bin" --joined-dictionary \
    --bpe sentencepiece --bpe-vocab-size 250 --workers 2

echo "== 3. seqx train: a small Transformer"
seqx train "$work/data-bin" \
    --arch transformer_tiny --encoder-embed-dim 128 --encoder-ffn-embed-dim 512 \
    --encoder-attention-heads 4 --decoder-attention-heads 4 --share-all-embeddings \
    --optimizer adam --adam-betas '(0.9, 0.98)' --lr 0.002 \
    --lr-scheduler inverse_sqrt --warmup-updates 300 \
    --criterion label_smoothed_cross_entropy --label-smoothing 0.1 \
    --max-tokens 4096 --max-update 400 --num-workers 0 --log-interval 50 \
    --seed 1 --no-epoch-checkpoints --save-dir "$work/checkpoints"

echo "== 4. seqx generate: beam 5 on the test split"
seqx generate "$work/data-bin" --path "$work/checkpoints/checkpoint_best.pt" \
    --beam 5 --batch-size 128 --scoring sacrebleu > "$work/generate-test.txt"
tail -n 1 "$work/generate-test.txt"

echo "== 5. seqx score --sacrebleu: detokenized hypotheses against the raw references"
grep '^D-' "$work/generate-test.txt" | sort -t- -k2 -n | cut -f3 > "$work/hyp.test.en"
seqx score --sys "$work/hyp.test.en" --ref "$work/raw/test.en" --sacrebleu

echo "== 6. seqx interactive with the trained checkpoint"
echo "Die alte Frau hat den roten Ball im Garten gefunden." \
    | seqx interactive "$work/data-bin" --path "$work/checkpoints/checkpoint_best.pt" --beam 5

echo "done in $(( $(date +%s) - start ))s; try it yourself:"
echo "  echo 'Der kleine Hund will die Zeitung kaufen.' | .venv/bin/seqx interactive $work/data-bin --path $work/checkpoints/checkpoint_best.pt"
