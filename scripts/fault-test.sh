#!/usr/bin/env bash
# Fault test of the exactly-once path on a real standalone cluster (loopback only, self-cleaning).
#
#   scripts/fault-test.sh [PERSONS]        (default 3000; env REST_PORT, KAFKA_PORT, KEEP=1 keeps var/fault-test)
#
# 1. starts a cluster (JobManager, 2 TaskManagers, Kafka broker) under var/fault-test/cluster
# 2. writes sample traffic with planted fraud and replays it (the reference: alert ids, verdicts)
# 3. submits the job (checkpoints every 2 s), publishes the traffic in three parts:
#      part 1 -> kill -9 a TaskManager, start a new one, wait for the job to restore
#      part 2 -> stop with a savepoint, submit again --from-savepoint
#      part 3 -> end-of-traffic markers (see below)
# 4. reads refund-alerts and refund-verdicts with read_committed and compares them with the replay:
#    same alert ids, none missing, none twice; one verdict per request.
#
# Live runs differ from a replay in two settings, set here so that the comparison is exact:
#  - eventTime.wallClockFallback=0s: the sample traffic lies in the past, and the wall-clock floor
#    would make every event late (processed in arrival order, not event-time order);
#  - input.maxFutureSkew=1000d: the sample period runs to 2026-11-30, and events after "now" would
#    be dead-lettered against their Kafka timestamps (a file replay has no timestamps).
#  - the broker accepts record timestamps in the future (log.message.timestamp.after.max.ms): the
#    sink stamps output records with their event time, and Kafka 4 rejects a batch holding a record
#    stamped more than 1 h ahead, which fails every transaction of the job.
# Without the wall-clock floor the watermark moves only with events, so 64 marker events one month
# after the traffic (return-and-refund requests of 64 distinct new accounts: no pattern counts them)
# are published last, on every partition, to move event time past the real traffic.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

PERSONS="${1:-3000}"
REST_PORT="${REST_PORT:-18481}"
KAFKA_PORT="${KAFKA_PORT:-19492}"
work="var/fault-test"
cluster_dir="$work/cluster"
rest="http://127.0.0.1:$REST_PORT"
bootstrap="127.0.0.1:$KAFKA_PORT"
job_settings=(--set flink.checkpointInterval=2s --set eventTime.wallClockFallback=0s --set input.maxFutureSkew=1000d)

for tool in java jq curl; do
  command -v "$tool" >/dev/null || { echo "fault-test: needs $tool" >&2; exit 2; }
done
for port in "$REST_PORT" "$KAFKA_PORT"; do
  if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
    echo "fault-test: port $port on 127.0.0.1 is in use; set REST_PORT / KAFKA_PORT" >&2
    exit 2
  fi
done

if [[ ! -f target/launcher.classpath || ! -f target/refundguard-0.1.0-SNAPSHOT-job.jar ]]; then
  echo "building (mvn package, tests skipped) ..." >&2
  mvn -B -ntp -q -DskipTests package
fi
classpath="$root/target/classes:$(cat target/launcher.classpath)"

# One refundguard command; cluster/submit/stop run their classes directly, so this script works
# whether or not Main dispatches them yet.
rg() {
  local cls=Main
  case "$1" in
    cluster) cls=ClusterCommand; shift ;;
    submit) cls=SubmitCommand; shift ;;
    stop) cls=StopCommand; shift ;;
  esac
  timeout 300 java -Xmx1g -Dlog4j2.configurationFile="$root/config/log4j2.properties" \
    -cp "$classpath" "io.refundguard.cli.$cls" "$@"
}

cleanup() {
  local rc=$?
  rg cluster stop --dir "$cluster_dir" >/dev/null 2>&1 || true
  if [[ "${KEEP:-0}" != 1 && $rc -eq 0 ]]; then
    rm -rf "$work"
  elif [[ -d "$work" ]]; then
    echo "kept $work (logs: $cluster_dir/log)" >&2
  fi
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

now() { date +%s.%N; }
since() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.1f", b - a }'; }
log() { printf '%s  %s\n' "$(date +%T)" "$*" >&2; }
declare -A timing

rm -rf "$work"
mkdir -p "$work"
sed '/^brokerProperties:/d' config/cluster.yaml >"$work/cluster.yaml"
printf 'brokerProperties:\n  log.message.timestamp.after.max.ms: "9223372036854775807"\n' >>"$work/cluster.yaml"

# ---------------------------------------------------------------- reference: the replay
log "sample traffic ($PERSONS persons) and its replay"
rg sample-data --out "$work/sample.jsonl" --persons "$PERSONS" >&2
t=$(now)
rg replay --events "$work/sample.jsonl" --out "$work/replay" >"$work/replay.txt"
timing[replay]=$(since "$t")
jq -r .alertId "$work/replay/alerts.jsonl" | sort >"$work/expected-alert-ids"
jq -r '.platform + ":" + .requestId' "$work/replay/verdicts.jsonl" | sort >"$work/expected-verdicts"

total=$(wc -l <"$work/sample.jsonl")
cut1=$((total * 4 / 10))
cut2=$((total * 7 / 10))
sed -n "1,${cut1}p" "$work/sample.jsonl" >"$work/part1.jsonl"
sed -n "$((cut1 + 1)),${cut2}p" "$work/sample.jsonl" >"$work/part2.jsonl"
sed -n "$((cut2 + 1)),\$p" "$work/sample.jsonl" >"$work/part3.jsonl"
for i in $(seq 1 64); do
  printf '{"schemaVersion":1,"eventId":"ft-marker-%d","type":"REFUND_REQUESTED","platform":"tb","requestId":"FT-MARKER-%d","occurredAt":"2026-12-31T00:00:00.000+08:00","orderId":"FTO%d","merchantId":"FTM","productId":"FTP","refundType":"RETURN_AND_REFUND","reason":"DAMAGED","amount":"1.00","currency":"CNY","buyer":{"accountId":"ft-marker-%d"},"evidence":[]}\n' \
    "$i" "$i" "$i" "$i"
done >"$work/markers.jsonl"

publish() {
  rg publish --bootstrap-servers "$bootstrap" --topic refund-events --key-field platform,requestId "$@" >&2
}
job_json() { curl -sf --max-time 5 "$rest/jobs/$1" || echo '{}'; }
completed_checkpoints() {
  curl -sf --max-time 5 "$rest/jobs/$1/checkpoints" | jq -r '.counts.completed // 0' 2>/dev/null || echo 0
}
all_running() {
  job_json "$1" | jq -e '.state == "RUNNING" and ([.vertices[].status] | all(. == "RUNNING"))' >/dev/null 2>&1
}
await_checkpoint_after() { # job, count before; waits (bounded) for one more completed checkpoint
  local deadline=$((SECONDS + 60))
  while (( SECONDS < deadline )); do
    (( $(completed_checkpoints "$1") > $2 )) && return 0
    sleep 0.5
  done
  log "no checkpoint completed within 60 s"; return 1
}

# ---------------------------------------------------------------- cluster and job
log "starting the cluster (2 TaskManagers) on $rest, Kafka on $bootstrap"
t=$(now)
rg cluster start --config "$work/cluster.yaml" --dir "$cluster_dir" --taskmanagers 2 --rest-port "$REST_PORT" --kafka-port "$KAFKA_PORT" >&2
timing[cluster_start]=$(since "$t")

t=$(now)
job=$(rg submit --dir "$cluster_dir" "${job_settings[@]}")
timing[submit]=$(since "$t")
log "job $job running"

# ---------------------------------------------------------------- part 1, then kill -9 a TaskManager
t_traffic=$(now)
before=$(completed_checkpoints "$job")
publish "$work/part1.jsonl"
await_checkpoint_after "$job" "$before"
# The victim is a TaskManager that runs tasks of the job (the one with the fewest free slots).
busy_id=$(curl -sf --max-time 5 "$rest/taskmanagers" | jq -r '[.taskmanagers[]] | min_by(.freeSlots) | .id')
victim_role=""
for f in "$cluster_dir"/pids/taskmanager-*.id; do
  [[ "$(cat "$f")" == "$busy_id" ]] && victim_role=$(basename "$f" .id)
done
[[ -n "$victim_role" ]] || { log "cannot tell which TaskManager runs the job"; exit 1; }
victim=$(cat "$cluster_dir/pids/$victim_role.pid")
log "kill -9 $victim_role (pid $victim, $(curl -sf "$rest/taskmanagers" | jq -r --arg id "$busy_id" \
  '.taskmanagers[] | select(.id == $id) | "\(.slotsNumber - .freeSlots) of \(.slotsNumber) slots busy"')) and start a new one"
t=$(now)
kill -9 "$victim"
# The replacement starts in the background while the job's failure and recovery are timed.
( t0=$(now)
  rg cluster start --config "$work/cluster.yaml" --dir "$cluster_dir" --taskmanagers 2 --rest-port "$REST_PORT" \
    --kafka-port "$KAFKA_PORT" >&2
  since "$t0" >"$work/new-taskmanager-seconds" ) &
starter=$!
deadline=$((SECONDS + 180))
detected=""
while (( SECONDS < deadline )); do
  restarts=$(curl -sf --max-time 5 "$rest/jobs/$job/metrics?get=numRestarts" | jq -r '.[0].value // "0"' 2>/dev/null || echo 0)
  state=$(job_json "$job" | jq -c '[.state, ([.vertices[]?.status] | unique)]' 2>/dev/null || echo '?')
  echo "$(date +%T.%N | cut -c1-12) restarts=$restarts job=$state" >>"$work/restore-poll.log"
  # numRestarts stayed 0 through a whole failover in one run here, so a job not fully RUNNING
  # counts as the failure being seen too.
  [[ "$state" == '["RUNNING",["RUNNING"]]' ]] || restarts=${restarts/#0/seen-not-running}
  if [[ -z "$detected" && "$restarts" != 0 ]]; then
    detected=$(since "$t")
  fi
  if [[ -n "$detected" ]] && all_running "$job"; then
    break
  fi
  sleep 0.5
done
[[ -n "$detected" ]] && all_running "$job" || { log "job did not restore within 180 s"; exit 1; }
wait "$starter" || { log "the new TaskManager did not start"; exit 1; }
timing[new_taskmanager_registered]=$(cat "$work/new-taskmanager-seconds")
timing[kill_to_failure_detected]=$detected
timing[kill_to_running_again]=$(since "$t")
log "job restored (failure seen after ${detected} s)"

# ---------------------------------------------------------------- part 2, then stop with savepoint and resume
before=$(completed_checkpoints "$job")
publish "$work/part2.jsonl"
await_checkpoint_after "$job" "$before"
t=$(now)
savepoint=$(rg stop --dir "$cluster_dir" --job "$job")
timing[stop_with_savepoint]=$(since "$t")
log "savepoint $savepoint"
t=$(now)
job=$(rg submit --dir "$cluster_dir" --from-savepoint "$savepoint" "${job_settings[@]}")
timing[resume_from_savepoint]=$(since "$t")
log "job $job resumed"

# ---------------------------------------------------------------- part 3 and the markers, then read
publish "$work/part3.jsonl"
publish "$work/markers.jsonl"
expected_alerts=$(wc -l <"$work/expected-alert-ids")
expected_verdicts=$(wc -l <"$work/expected-verdicts")
deadline=$((SECONDS + 240))
last=-1
stable=0
while (( SECONDS < deadline )); do
  rg consume --bootstrap-servers "$bootstrap" --topic refund-alerts --from-beginning --timeout 3s \
    >"$work/alerts.jsonl" 2>/dev/null
  rg consume --bootstrap-servers "$bootstrap" --topic refund-verdicts --from-beginning --timeout 3s \
    >"$work/verdicts.jsonl" 2>/dev/null
  n=$(( $(wc -l <"$work/alerts.jsonl") + $(wc -l <"$work/verdicts.jsonl") ))
  if (( n == last )); then stable=$((stable + 1)); else stable=0; fi
  last=$n
  if (( $(wc -l <"$work/alerts.jsonl") >= expected_alerts && $(wc -l <"$work/verdicts.jsonl") >= expected_verdicts && stable >= 1 )); then
    break
  fi
  (( stable >= 4 )) && break # nothing new for a while: compare what there is
  sleep 2
done
timing[traffic_to_complete_output]=$(since "$t_traffic")

jq -r .alertId "$work/alerts.jsonl" | sort >"$work/observed-alert-ids"
jq -r '.platform + ":" + .requestId' "$work/verdicts.jsonl" | sort >"$work/observed-verdicts"
alert_records=$(wc -l <"$work/observed-alert-ids")
alert_distinct=$(sort -u "$work/observed-alert-ids" | wc -l)
alert_missing=$(comm -23 "$work/expected-alert-ids" <(sort -u "$work/observed-alert-ids") | wc -l)
alert_extra=$(comm -13 "$work/expected-alert-ids" <(sort -u "$work/observed-alert-ids") | wc -l)
verdict_records=$(wc -l <"$work/observed-verdicts")
verdict_distinct=$(sort -u "$work/observed-verdicts" | wc -l)
verdict_missing=$(comm -23 "$work/expected-verdicts" <(sort -u "$work/observed-verdicts") | wc -l)
verdict_extra=$(comm -13 "$work/expected-verdicts" <(sort -u "$work/observed-verdicts") | wc -l)

echo
echo "Fault test: $PERSONS persons, $total events; kill -9 of a TaskManager after part 1, stop-with-savepoint"
echo "and resume after part 2; read_committed output compared with a replay of the same file."
echo
printf '  %-44s %10s %10s\n' "what" "expected" "observed"
printf '  %-44s %10d %10d\n' "alert records (refund-alerts)" "$expected_alerts" "$alert_records"
printf '  %-44s %10d %10d\n' "distinct alert ids" "$expected_alerts" "$alert_distinct"
printf '  %-44s %10d %10d\n' "replay alert ids missing" 0 "$alert_missing"
printf '  %-44s %10d %10d\n' "alert ids not in the replay" 0 "$alert_extra"
printf '  %-44s %10d %10d\n' "verdict records (refund-verdicts)" "$expected_verdicts" "$verdict_records"
printf '  %-44s %10d %10d\n' "distinct requests with a verdict" "$expected_verdicts" "$verdict_distinct"
printf '  %-44s %10d %10d\n' "replay verdicts missing" 0 "$verdict_missing"
printf '  %-44s %10d %10d\n' "verdicts not in the replay" 0 "$verdict_extra"
echo
printf '  %-44s %10s\n' "timing" "seconds"
for key in replay cluster_start submit new_taskmanager_registered kill_to_failure_detected kill_to_running_again \
    stop_with_savepoint resume_from_savepoint traffic_to_complete_output; do
  printf '  %-44s %10s\n' "${key//_/ }" "${timing[$key]:-}"
done
echo

if (( alert_records == expected_alerts && alert_distinct == expected_alerts && alert_missing == 0 && alert_extra == 0 \
    && verdict_records == expected_verdicts && verdict_missing == 0 && verdict_extra == 0 )); then
  echo "PASS: exactly once (nothing lost, nothing duplicated) across a TaskManager crash and a savepoint restore"
else
  echo "FAIL: output differs from the replay (kept $work for inspection)"
  KEEP=1
  exit 1
fi
