#!/usr/bin/env bash
# Information loss of one release: ours (tally_build) beside τ-ARGUS (pytauargus 0.6.0).
# See bench/README-information-loss.md. Extra arguments go to bench/information_loss.py, e.g.
#   bench/run_information_loss.sh --small 2000 --large 0 --no-opt
set -euo pipefail
cd "$(dirname "$0")/.."
.venv/bin/pip install -q pytauargus==0.6.0
mkdir -p bench/results
nice -n 19 .venv/bin/python bench/information_loss.py "$@" | tee bench/results/information-loss.txt
