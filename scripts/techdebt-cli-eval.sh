#!/usr/bin/env bash
# Reproduces the tech-debt classifier's cross-project figures through the CLI:
# for each project of the training data, train the fold that leaves it out,
# export that project's issues as canonical JSON Lines, `ladder import` them
# into a fresh store, `ladder analyze --format jsonl` with the fold's model,
# and score the verdicts against the issue-level truth.
#
#   scripts/techdebt-cli-eval.sh [path/to/train-sections.csv]
set -euo pipefail
cd "$(dirname "$0")/.."
data=${1:-../shared/eval/techdebt/train-sections.csv}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

go build -o "$work/ladder" ./cmd/ladder
go build -o "$work/train" ./internal/train/techdebt

for project in CAMEL HADOOP HBASE; do
  dir="$work/$project"
  mkdir -p "$dir"
  "$work/train" -data "$data" -holdout "$project" -out "$dir/model.json" >/dev/null
  "$work/train" -data "$data" -project "$project" -export-jsonl "$dir/issues.jsonl" -export-truth "$dir/truth.csv"
  # No tracker, no team, no explicit debt labels: the classifier alone decides.
  printf 'store: ladder.db\ntechdebt:\n  model: model.json\n' >"$dir/ladder.yaml"
  "$work/ladder" --config "$dir/ladder.yaml" import "$dir/issues.jsonl" >/dev/null
  "$work/ladder" --config "$dir/ladder.yaml" analyze --format jsonl --as-of 2026-11-25 >"$dir/verdicts.jsonl"
  echo "$project (model trained without it):"
  "$work/train" -score "$dir/verdicts.jsonl" -truth "$dir/truth.csv" | sed 's/^/  /'
done
