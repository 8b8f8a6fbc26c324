"""Startup time of ``seqx --help`` and ``seqx plugins``, with 50 extra plugins installed.

Prints JSON: the median wall time of each command over ``--runs`` runs, with
the plugins installed in this environment and again with ``--extra``
generated plugins (``seqx plugin new``, built and installed with pip into a
folder on PYTHONPATH), next to the baseline of a bare ``python -c pass``.

    python bench/cli_startup.py [--runs 21] [--extra 50]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from seqx.scaffold import create

TARGETS = {"seqx --help": 0.25, "seqx plugins (with extra)": 0.4}


def _median_time(cmd: list[str], env: dict[str, str], runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        proc = subprocess.run(cmd, env=env, capture_output=True, check=False)
        times.append(time.perf_counter() - start)
        if proc.returncode != 0:
            raise SystemExit(f"{' '.join(cmd)} failed:\n{proc.stderr.decode()}")
    return round(statistics.median(times), 4)


def _plugin_count(seqx: str, env: dict[str, str]) -> int:
    out = subprocess.run([seqx, "plugins", "--json"], env=env, capture_output=True, check=True)
    return sum(1 for p in json.loads(out.stdout)["plugins"] if p["status"] == "ok")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=21)
    parser.add_argument("--extra", type=int, default=50)
    args = parser.parse_args()

    seqx = str(Path(sys.executable).parent / "seqx")
    base_env = {k: v for k, v in os.environ.items() if not k.startswith("SEQX_")}
    base_env.pop("PYTHONPATH", None)
    with tempfile.TemporaryDirectory() as tmp:
        src, site = Path(tmp, "src"), Path(tmp, "site")
        dirs = [str(create(f"bench{i:03d}", src)) for i in range(args.extra)]
        subprocess.run(
            [
                sys.executable,
                "-m",
                "pip",
                "install",
                "-q",
                "--no-deps",
                "--no-build-isolation",
                "--target",
                str(site),
                *dirs,
            ],
            check=True,
        )
        extra_env = {**base_env, "PYTHONPATH": str(site)}
        result = {
            "runs": args.runs,
            "extra_plugins": args.extra,
            "plugins_loaded": _plugin_count(seqx, base_env),
            "plugins_loaded_with_extra": _plugin_count(seqx, extra_env),
            "seconds": {
                "python -c pass (baseline)": _median_time(
                    [sys.executable, "-c", "pass"], base_env, args.runs
                ),
                "seqx --help": _median_time([seqx, "--help"], base_env, args.runs),
                "seqx plugins": _median_time([seqx, "plugins"], base_env, args.runs),
                "seqx --help (with extra)": _median_time([seqx, "--help"], extra_env, args.runs),
                "seqx plugins (with extra)": _median_time([seqx, "plugins"], extra_env, args.runs),
            },
            "targets_seconds": TARGETS,
        }
    result["meets_targets"] = all(result["seconds"][k] <= v for k, v in TARGETS.items())
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
