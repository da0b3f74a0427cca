#!/usr/bin/env bash
# Measures `sigstream run` from process launch to its "ready" log line, on a fresh data directory (the
# slowest case: storage is formatted first), and `sigstream --help` start-up. Prints the figures; no pass/fail.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
runs="${1:-3}"
"$root/bin/sigstream" --version >/dev/null  # builds the distribution if needed
for i in $(seq 1 "$runs"); do
  work="$(mktemp -d)"
  start=$(date +%s%N)
  "$root/bin/sigstream" run --data-dir "$work/data" --kafka-port 0 --http-port 0 >"$work/log" 2>&1 &
  pid=$!
  until grep -q "Sigstream ready in" "$work/log"; do
    if ! kill -0 "$pid" 2>/dev/null; then echo "run exited early:"; cat "$work/log"; exit 1; fi
    sleep 0.05
  done
  end=$(date +%s%N)
  kill -TERM "$pid"; wait "$pid" || true
  printf 'run #%d: ready %.2f s after launch (fresh data dir)\n' "$i" "$(awk -v a="$start" -v b="$end" 'BEGIN{print (b-a)/1e9}')"
  rm -rf "$work"
done
for i in $(seq 1 "$runs"); do
  start=$(date +%s%N)
  "$root/bin/sigstream" --help >/dev/null
  end=$(date +%s%N)
  printf 'help #%d: %.3f s to exit\n' "$i" "$(awk -v a="$start" -v b="$end" 'BEGIN{print (b-a)/1e9}')"
done
# CLI subcommands (issue 5): `--help` start-up of each, which must stay under 1 s (no BouncyCastle or HttpClient
# is initialised on help paths).
for cmd in verify sign inspect discover; do
  for i in $(seq 1 "$runs"); do
    start=$(date +%s%N)
    "$root/bin/sigstream" "$cmd" --help >/dev/null
    end=$(date +%s%N)
    printf '%s --help #%d: %.3f s to exit\n' "$cmd" "$i" "$(awk -v a="$start" -v b="$end" 'BEGIN{print (b-a)/1e9}')"
  done
done
