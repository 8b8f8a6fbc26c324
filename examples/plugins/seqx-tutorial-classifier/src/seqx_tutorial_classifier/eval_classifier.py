"""Type a name, get its three most likely labels (the tutorial's evaluation script).

python -m seqx_tutorial_classifier.eval_classifier DATA --path CHECKPOINT
"""

import argparse
import sys

import torch

from seqx.hub import load_model_ensemble


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("data", help="the data folder the model was trained on")
    parser.add_argument("--path", required=True, help="the checkpoint")
    args = parser.parse_args(argv)

    loaded = load_model_ensemble([args.path], data=args.data)
    task, model = loaded.task, loaded.models[0]
    model.eval()

    prompt = sys.stdin.isatty()
    while True:
        if prompt:
            print("Type a name (Ctrl-D to end): ", end="", flush=True)
        line = sys.stdin.readline()
        if not line:
            break
        name = line.strip()
        if not name:
            continue
        # the model reads characters separated by spaces, as in the training data
        chars = " ".join(list(name))
        tokens = task.source_dictionary.encode_line(chars, add_if_not_exist=False)
        batch = {
            "net_input": {
                "src_tokens": tokens.unsqueeze(0),
                "src_lengths": torch.LongTensor([tokens.numel()]),
            }
        }
        with torch.no_grad():
            logprobs = model(**batch["net_input"])
        top_logprobs, top_labels = logprobs[0].topk(k=min(3, logprobs.size(-1)))
        print(name)
        for score, label_idx in zip(top_logprobs, top_labels):
            label_name = task.target_dictionary.string([label_idx])
            print(f"({score.item():.2f})\t{label_name}")


if __name__ == "__main__":
    main()
