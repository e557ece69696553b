#!/bin/sh
# run-one.sh FUZZER SECONDS WORK_CORPUS SEED_CORPUS ARTIFACT_DIR
# Runs one libFuzzer target; new inputs go to WORK_CORPUS, crashes to ARTIFACT_DIR.
set -eu
fuzzer=$1 seconds=$2 work=$3 seeds=$4 artifacts=$5
mkdir -p "$work" "$artifacts"
exec "$fuzzer" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 \
    -print_final_stats=1 -artifact_prefix="$artifacts" "$work" "$seeds"
