#!/usr/bin/env bash
# The main job (`make demo`): seqx and its plugins, end to end, from a fresh clone.
# Runs in the venv that `make demo` prepared (its bin/ is first on PATH).
set -euo pipefail
cd "$(dirname "$0")/.."
work=runs/demo
rm -rf "$work" && mkdir -p "$work"

echo "== seqx --version"
seqx --version

echo "== seqx plugins --check (every installed plugin imports and validates)"
seqx plugins --check

echo "== seqx plugin new demo: scaffold, install, test, inspect"
seqx plugin new demo --dir "$work"
pip install -q --no-deps --no-build-isolation -e "$work/seqx-demo"
trap 'pip uninstall -q -y seqx-demo' EXIT
python -m pytest -q -p no:cacheprovider "$work/seqx-demo/tests"
seqx plugins show demo_tiny
seqx train --arch demo_tiny --help | sed -n '/^Model:/,/^$/p'
echo "demo finished: the scaffolded plugin installed, passed its tests and was inspected"
