#!/usr/bin/env bash
# Runs payhook's fuzz targets under libFuzzer (`make fuzz` calls this).
#
#   fuzz/fuzz.sh [target…]            every target when none is named
#
# Environment:
#   FUZZ_SECONDS  time per target (default 600)
#   FUZZ_JOBS     targets run at once (default 2: one per core here)
#   FUZZ_MERGE    1 (default): afterwards, keep in the committed corpus
#                 (fuzz/corpus/<target>) the FUZZ_KEEP (default 40) inputs of the old
#                 corpus and of the run that cover the most edges (fuzz/minimize.py)
#
# Targets run in libFuzzer's fork mode with crashes ignored, so one finding does not
# end the run: every input that failed a check is in fuzz/artifacts/<target>/, and
# the script exits non-zero when there is any.
#
# Each target starts from fuzz/corpus/<target> (committed) and fuzz/seeds/<target>
# (written by fuzz/seed_corpus.py from the test vectors); new inputs go to
# fuzz/corpus-work/<target>, the log to fuzz/logs/<target>.log, and a crash or a
# failed invariant to fuzz/artifacts/<target>/. The last lines of each log give
# the executions (#N) and coverage (cov: edges, ft: features).
set -euo pipefail
cd "$(dirname "$0")/.."

SECONDS_PER_TARGET=${FUZZ_SECONDS:-600}
JOBS=${FUZZ_JOBS:-2}
MERGE=${FUZZ_MERGE:-1}
KEEP=${FUZZ_KEEP:-40}
ALL=(api_requests basic_auth callback_url hapi_build hapi_parse hitpay_event
     hitpay_payment_request hitpay_redirect hitpay_webhook payex_callback
     smart_router_webhook)
TARGETS=("$@")
[ ${#TARGETS[@]} -gt 0 ] || TARGETS=("${ALL[@]}")

dict_for() {
  case "$1" in
    hitpay_webhook) echo fuzz/dictionaries/form.dict ;;
    hitpay_event | smart_router_webhook | payex_callback) echo fuzz/dictionaries/json.dict ;;
    hitpay_payment_request) echo "" ;;
    *) echo fuzz/dictionaries/url.dict ;;
  esac
}

command -v cargo-fuzz >/dev/null || cargo install cargo-fuzz --locked
python3 fuzz/seed_corpus.py >/dev/null
cargo +nightly fuzz build
mkdir -p fuzz/logs

run() {
  local t=$1 dict
  dict=$(dict_for "$t")
  mkdir -p "fuzz/corpus-work/$t" "fuzz/artifacts/$t"
  # -timeout: an input that takes over 10 s is a hang, reported as a finding.
  cargo +nightly fuzz run "$t" "fuzz/corpus-work/$t" "fuzz/corpus/$t" "fuzz/seeds/$t" -- \
    -fork=1 -ignore_crashes=1 -ignore_timeouts=1 -ignore_ooms=1 \
    -max_total_time="$SECONDS_PER_TARGET" -timeout=10 -rss_limit_mb=4096 \
    ${dict:+-dict=$dict} >"fuzz/logs/$t.log" 2>&1
}

status=0
pids=()
names=()
for t in "${TARGETS[@]}"; do
  while [ "$(jobs -rp | wc -l)" -ge "$JOBS" ]; do sleep 1; done
  echo "fuzzing $t for ${SECONDS_PER_TARGET}s (log: fuzz/logs/$t.log)"
  run "$t" &
  pids+=($!)
  names+=("$t")
done
for i in "${!pids[@]}"; do
  wait "${pids[$i]}" || echo "${names[$i]}: libFuzzer exited with $? (see fuzz/logs/${names[$i]}.log)"
done
for t in "${TARGETS[@]}"; do
  if [ -n "$(ls -A "fuzz/artifacts/$t" 2>/dev/null)" ]; then
    echo "FINDING in $t: $(ls "fuzz/artifacts/$t" | wc -l) input(s) in fuzz/artifacts/$t/ (replay one:"
    echo "  cargo +nightly fuzz run $t fuzz/artifacts/$t/<file>)"
    status=1
  fi
done

for t in "${TARGETS[@]}"; do
  printf '%-24s %s\n' "$t" "$(grep -E '^#[0-9]+: cov:' "fuzz/logs/$t.log" | tail -1 || true)"
  if [ "$MERGE" = 1 ]; then
    python3 fuzz/minimize.py "$t" "$KEEP" "fuzz/corpus/$t" "fuzz/corpus-work/$t"
  fi
done
exit $status
