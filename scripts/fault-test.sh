#!/usr/bin/env bash
# Fault test of the exactly-once path on a real standalone cluster (loopback only, self-cleaning).
#
#   scripts/fault-test.sh [PERSONS] [--parallelism]
#        PERSONS default 3000; env REST_PORT, KAFKA_PORT, KEEP=1 keeps var/fault-test, BROKER_DOWN
#        (seconds the broker stays down in the short outage, default 5), LONG_OUTAGE (seconds it
#        stays down in the outage past the job's producers' 40 s delivery timeout, default 55)
#
# 1. starts a cluster (JobManager, 2 TaskManagers, Kafka broker) under var/fault-test/cluster
# 2. writes sample traffic with planted fraud and replays it (the reference: alert ids, verdicts)
# 3. submits the job (checkpoints every 2 s), publishes the traffic in four parts:
#      part 1 -> kill -9 a TaskManager, start a new one, wait for the job to restore
#      part 2 -> right after it is published (still in flight), SIGTERM the Kafka broker, wait
#                BROKER_DOWN s, start it again (same data dir and port, via `cluster start`), wait
#                until the job completes a checkpoint after the restart
#      part 3 -> right after it is published, SIGTERM the broker for LONG_OUTAGE s, longer than the
#                producers' delivery timeout: the job must fail over (at least one restore from a
#                checkpoint, checked) and recover once the broker is back
#              -> stop with a savepoint, submit again --from-savepoint
#      part 4 -> end-of-traffic markers (see below)
# 4. reads refund-alerts and refund-verdicts with read_committed and compares them with the replay:
#    same alert ids, none missing, none twice; one verdict per request.
# 5. with --parallelism (opt-in, about 2-3 more minutes): cancels that job and runs the job again
#    over the whole input topic at flink.parallelism=1, then at 4 (2 TaskManagers x 2 slots),
#    each with its own consumer group, transactional ids and output topics, and compares each
#    output with the replay the same way.
#
# Live runs differ from a replay in two settings, set here so that the comparison is exact:
#  - eventTime.wallClockFallback=0s: the sample traffic lies in the past, and the wall-clock floor
#    would make every event late (processed in arrival order, not event-time order);
#  - input.maxFutureSkew=1000d: the sample period runs to 2026-11-30, and events after "now" would
#    be dead-lettered against their Kafka timestamps (a file replay has no timestamps).
#  - the broker accepts record timestamps in the future (log.message.timestamp.after.max.ms). The
#    job's sink now stamps output records with their publish time, so this is no longer needed for
#    the output; it is kept because the traffic itself (generated with a fixed 2026-10-01 start)
#    may lie ahead of "now", and the input topic must accept it.
# Without the wall-clock floor the watermark moves only with events, so 64 marker events one month
# after the traffic (return-and-refund requests of 64 distinct new accounts: no pattern counts them)
# are published last, on every partition, to move event time past the real traffic.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

PERSONS=3000
WITH_PARALLELISM=0
for arg in "$@"; do
  case "$arg" in
    --parallelism) WITH_PARALLELISM=1 ;;
    ''|*[!0-9]*) echo "usage: scripts/fault-test.sh [PERSONS] [--parallelism]" >&2; exit 2 ;;
    *) PERSONS="$arg" ;;
  esac
done
BROKER_DOWN="${BROKER_DOWN:-5}"
# The job's producers get delivery.timeout.ms=40000 (job_settings below; Kafka's default is 2 min,
# which only made this test wait longer): the long outage outlasts it.
DELIVERY_TIMEOUT_MS=40000
LONG_OUTAGE="${LONG_OUTAGE:-55}"
REST_PORT="${REST_PORT:-18481}"
KAFKA_PORT="${KAFKA_PORT:-19492}"
work="var/fault-test"
cluster_dir="$work/cluster"
rest="http://127.0.0.1:$REST_PORT"
bootstrap="127.0.0.1:$KAFKA_PORT"
job_settings=(--set flink.checkpointInterval=2s --set eventTime.wallClockFallback=0s --set input.maxFutureSkew=1000d
  --set "kafka.clientProperties.delivery.timeout.ms=$DELIVERY_TIMEOUT_MS")

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

# One refundguard command, as jobs/refundguard runs it (without its rebuild check: the build is
# mvn verify's).
rg() {
  timeout 300 java -Xmx1g -Dlog4j2.configurationFile="$root/config/log4j2.properties" \
    -cp "$classpath" io.refundguard.cli.Main "$@"
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
cut1=$((total * 3 / 10))
cut2=$((total * 55 / 100))
cut3=$((total * 75 / 100))
sed -n "1,${cut1}p" "$work/sample.jsonl" >"$work/part1.jsonl"
sed -n "$((cut1 + 1)),${cut2}p" "$work/sample.jsonl" >"$work/part2.jsonl"
sed -n "$((cut2 + 1)),${cut3}p" "$work/sample.jsonl" >"$work/part3.jsonl"
sed -n "$((cut3 + 1)),\$p" "$work/sample.jsonl" >"$work/part4.jsonl"
for i in $(seq 1 64); do
  printf '{"schemaVersion":1,"eventId":"ft-marker-%d","type":"REFUND_REQUESTED","platform":"tb","requestId":"FT-MARKER-%d","occurredAt":"2026-12-31T00:00:00.000+08:00","orderId":"FTO%d","merchantId":"FTM","productId":"FTP","refundType":"RETURN_AND_REFUND","reason":"DAMAGED","amount":"1.00","currency":"CNY","buyer":{"accountId":"ft-marker-%d"},"evidence":[]}\n' \
    "$i" "$i" "$i" "$i"
done >"$work/markers.jsonl"

publish() { # retried when the broker probe before sending (5 s) times out on a loaded machine: exit status 2
  local attempt rc
  for attempt in 1 2 3; do
    rc=0
    rg publish --bootstrap-servers "$bootstrap" --topic refund-events --key-field platform,requestId "$@" >&2 || rc=$?
    (( rc != 2 )) && return "$rc"
    log "publish could not reach the broker (attempt $attempt of 3)"
    sleep 5
  done
  return 2
}
job_json() { curl -sf --max-time 5 "$rest/jobs/$1" || echo '{}'; }
completed_checkpoints() {
  curl -sf --max-time 5 "$rest/jobs/$1/checkpoints" | jq -r '.counts.completed // 0' 2>/dev/null || echo 0
}
all_running() {
  job_json "$1" | jq -e '.state == "RUNNING" and ([.vertices[].status] | all(. == "RUNNING"))' >/dev/null 2>&1
}
restored_count() { # how often the job restored from a checkpoint (more reliable here than numRestarts)
  local v
  v=$(curl -sf --max-time 5 "$rest/jobs/$1/checkpoints" | jq -r '.counts.restored // 0' 2>/dev/null || true)
  echo "${v:-0}"
}
failed_checkpoints() {
  local v
  v=$(curl -sf --max-time 5 "$rest/jobs/$1/checkpoints" | jq -r '.counts.failed // 0' 2>/dev/null || true)
  echo "${v:-0}"
}
latest_checkpoint_ms() { # trigger time (epoch ms) of the job's latest completed checkpoint, 0 if none
  local v
  v=$(curl -sf --max-time 5 "$rest/jobs/$1/checkpoints" | jq -r '.latest.completed.trigger_timestamp // 0' 2>/dev/null || true)
  echo "${v:-0}"
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
# `cluster start` starts what is missing (all of it, a replacement TaskManager, the broker) and
# then probes the broker with a 5 s timeout, which a loaded machine can miss: retried.
cluster_start() {
  local attempt
  for attempt in 1 2 3; do
    rg cluster start --config "$work/cluster.yaml" --dir "$cluster_dir" --taskmanagers 2 --rest-port "$REST_PORT" \
      --kafka-port "$KAFKA_PORT" >&2 && return 0
    log "cluster start failed (attempt $attempt of 3)"
    sleep 5
  done
  return 1
}
log "starting the cluster (2 TaskManagers) on $rest, Kafka on $bootstrap"
t=$(now)
cluster_start
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
  cluster_start
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

# ---------------------------------------------------------------- broker outages
# broker_outage NAME SECONDS: SIGTERMs the broker, keeps it down SECONDS, starts it again (same data
# dir and port: `cluster start` starts only what is missing and leaves the JobManager and
# TaskManagers alone) and waits until the job has recovered: all tasks RUNNING and a checkpoint
# triggered after the broker was back completed (its transactions committed on the restarted
# broker). Timings go to timing[NAME_*], restores and failed checkpoints to outage[NAME.*].
declare -A outage
broker_outage() {
  local name=$1 down=$2 restores_before failed_before broker_pid t t_up up_ms deadline state left_running=""
  restores_before=$(restored_count "$job")
  failed_before=$(failed_checkpoints "$job")
  broker_pid=$(cat "$cluster_dir/pids/broker.pid")
  log "SIGTERM the Kafka broker (pid $broker_pid), down for $down s, then start it again"
  t=$(now)
  kill -TERM "$broker_pid"
  deadline=$((SECONDS + 60))
  while kill -0 "$broker_pid" 2>/dev/null && (( SECONDS < deadline )); do sleep 0.2; done
  if kill -0 "$broker_pid" 2>/dev/null; then log "the broker did not stop within 60 s of SIGTERM"; exit 1; fi
  timing[${name}_sigterm_to_exit]=$(since "$t")
  sleep "$down"
  # A TaskManager can die of the outage: a sink task failing while the broker is away cannot abort
  # its transaction in its failure handler (max.block.ms), which Flink treats as fatal. `cluster
  # start` below starts a replacement, as a cluster manager would; how many is reported.
  local lost=0 f
  for f in "$cluster_dir"/pids/taskmanager-*.pid; do kill -0 "$(cat "$f")" 2>/dev/null || lost=$((lost + 1)); done
  outage[$name.taskmanagers_lost]=$lost
  t_up=$(now)
  cluster_start
  timing[${name}_restart_command]=$(since "$t_up")
  up_ms=$(date +%s%3N)
  deadline=$((SECONDS + 300))
  while (( SECONDS < deadline )); do
    state=$(job_json "$job" | jq -c '[.state, ([.vertices[]?.status] | unique)]' 2>/dev/null || echo '?')
    echo "$(date +%T.%N | cut -c1-12) job=$state latest_checkpoint_ms=$(latest_checkpoint_ms "$job")" >>"$work/$name-poll.log"
    [[ "$state" == '["RUNNING",["RUNNING"]]' ]] || left_running=yes
    if all_running "$job" && (( $(latest_checkpoint_ms "$job") > up_ms )); then break; fi
    sleep 0.5
  done
  all_running "$job" && (( $(latest_checkpoint_ms "$job") > up_ms )) \
    || { log "job did not complete a checkpoint within 300 s of the broker restart"; exit 1; }
  timing[${name}_sigterm_to_checkpoint_after_restart]=$(since "$t")
  timing[${name}_restart_issued_to_checkpoint_after]=$(since "$t_up")
  outage[$name.restores]=$(( $(restored_count "$job") - restores_before ))
  outage[$name.failed_checkpoints]=$(( $(failed_checkpoints "$job") - failed_before ))
  outage[$name.left_running]=${left_running:-no}
  log "job recovered from the broker outage (restores from a checkpoint: ${outage[$name.restores]}, failed checkpoints: ${outage[$name.failed_checkpoints]})"
}

# ---------------------------------------------------------------- part 2, then a short broker outage
# No wait for a checkpoint: part 2 is still being processed (and its transactions open) when the
# broker goes down. Shorter than the producers' timeouts, so the job may ride it out.
publish "$work/part2.jsonl"
broker_outage broker "$BROKER_DOWN"

# ---------------------------------------------------------------- part 3, then a broker outage past the delivery timeout
# Part 3 is in flight when the broker goes down, for longer than the producers' delivery.timeout.ms
# (40 s here, set through kafka.clientProperties; Kafka's default is 2 min): their batches expire and new transactions cannot
# start, so the job must fail, restart from its last checkpoint once the broker is back, and
# commit that checkpoint's transactions (kafka.transactionTimeout outlasts the outage) — the
# comparison below shows nothing lost or doubled.
publish "$work/part3.jsonl"
broker_outage long_outage "$LONG_OUTAGE"
if (( ${outage[long_outage.restores]} < 1 )); then
  log "the job did not fail over during a $LONG_OUTAGE s broker outage: the scenario did not happen"
  long_outage_failover=FAIL
else
  long_outage_failover=PASS
fi

# ---------------------------------------------------------------- stop with savepoint and resume
t=$(now)
savepoint=$(rg stop --dir "$cluster_dir" --job "$job")
timing[stop_with_savepoint]=$(since "$t")
log "savepoint $savepoint"
t=$(now)
job=$(rg submit --dir "$cluster_dir" --from-savepoint "$savepoint" "${job_settings[@]}")
timing[resume_from_savepoint]=$(since "$t")
log "job $job resumed"

# ---------------------------------------------------------------- part 4 and the markers, then read
publish "$work/part4.jsonl"
publish "$work/markers.jsonl"
expected_alerts=$(wc -l <"$work/expected-alert-ids")
expected_verdicts=$(wc -l <"$work/expected-verdicts")

read_output() { # scenario, alerts topic, verdicts topic: reads both (read_committed) until complete or quiet
  local name=$1 deadline=$((SECONDS + 240)) last=-1 stable=0 n
  while (( SECONDS < deadline )); do
    rg consume --bootstrap-servers "$bootstrap" --topic "$2" --from-beginning --timeout 3s \
      >"$work/$name-alerts.jsonl" 2>/dev/null || true
    rg consume --bootstrap-servers "$bootstrap" --topic "$3" --from-beginning --timeout 3s \
      >"$work/$name-verdicts.jsonl" 2>/dev/null || true
    n=$(( $(wc -l <"$work/$name-alerts.jsonl") + $(wc -l <"$work/$name-verdicts.jsonl") ))
    if (( n == last )); then stable=$((stable + 1)); else stable=0; fi
    last=$n
    if (( $(wc -l <"$work/$name-alerts.jsonl") >= expected_alerts \
        && $(wc -l <"$work/$name-verdicts.jsonl") >= expected_verdicts && stable >= 1 )); then
      break
    fi
    (( stable >= 4 )) && break # nothing new for a while: compare what there is
    sleep 2
  done
}
declare -A result
declare -a scenarios=()
compare() { # scenario: compares its output files with the replay into result[scenario.*]
  local name=$1
  scenarios+=("$name")
  jq -r .alertId "$work/$name-alerts.jsonl" | sort >"$work/$name-observed-alert-ids"
  jq -r '.platform + ":" + .requestId' "$work/$name-verdicts.jsonl" | sort >"$work/$name-observed-verdicts"
  result[$name.alert_records]=$(wc -l <"$work/$name-observed-alert-ids")
  result[$name.alert_distinct]=$(sort -u "$work/$name-observed-alert-ids" | wc -l)
  result[$name.alert_missing]=$(comm -23 "$work/expected-alert-ids" <(sort -u "$work/$name-observed-alert-ids") | wc -l)
  result[$name.alert_extra]=$(comm -13 "$work/expected-alert-ids" <(sort -u "$work/$name-observed-alert-ids") | wc -l)
  result[$name.verdict_records]=$(wc -l <"$work/$name-observed-verdicts")
  result[$name.verdict_distinct]=$(sort -u "$work/$name-observed-verdicts" | wc -l)
  result[$name.verdict_missing]=$(comm -23 "$work/expected-verdicts" <(sort -u "$work/$name-observed-verdicts") | wc -l)
  result[$name.verdict_extra]=$(comm -13 "$work/expected-verdicts" <(sort -u "$work/$name-observed-verdicts") | wc -l)
  local ar=${result[$name.alert_records]} ad=${result[$name.alert_distinct]} am=${result[$name.alert_missing]}
  local ax=${result[$name.alert_extra]} vr=${result[$name.verdict_records]} vm=${result[$name.verdict_missing]}
  local vx=${result[$name.verdict_extra]}
  if (( ar == expected_alerts && ad == expected_alerts && am == 0 && ax == 0 \
      && vr == expected_verdicts && vm == 0 && vx == 0 )); then
    result[$name.pass]=PASS
  else
    result[$name.pass]=FAIL
  fi
}
cancel_job() { # job: cancels it and waits (bounded) until it is CANCELED
  curl -sf --max-time 10 -X PATCH "$rest/jobs/$1?mode=cancel" >/dev/null || true
  local deadline=$((SECONDS + 60))
  while (( SECONDS < deadline )); do
    [[ "$(job_json "$1" | jq -r '.state // ""')" == CANCELED ]] && return 0
    sleep 0.5
  done
  log "job $1 was not cancelled within 60 s"; return 1
}

read_output faults refund-alerts refund-verdicts
timing[traffic_to_complete_output]=$(since "$t_traffic")
compare faults

# ---------------------------------------------------------------- optional: parallelism 1 and 4
# The whole input (all parts and the markers) is in refund-events now; a job with a new consumer
# group reads it from the beginning. Own transactional ids and output topics (created when first
# written, broker auto-creation), no per-platform views, so the runs do not share output.
if (( WITH_PARALLELISM )); then
  cancel_job "$job"
  for p in 1 4; do
    name="p$p"
    t=$(now)
    pjob=$(rg submit --dir "$cluster_dir" "${job_settings[@]}" --set "flink.parallelism=$p" \
      --set "kafka.groupId=ft-$name" --set "kafka.transactionalIdPrefix=ft-$name" \
      --set "topics.alerts=ft-$name-alerts" --set "topics.verdicts=ft-$name-verdicts" \
      --set "topics.deadLetters=ft-$name-dlq" --set topics.platformViews=false)
    timing[${name}_submit]=$(since "$t")
    log "job $pjob running at parallelism $p ($(job_json "$pjob" | jq -r '[.vertices[].parallelism] | unique | map(tostring) | join(",")') per vertex)"
    result[$name.vertex_parallelism]=$(job_json "$pjob" | jq -r '[.vertices[].parallelism] | max')
    read_output "$name" "ft-$name-alerts" "ft-$name-verdicts"
    timing[${name}_submit_to_complete_output]=$(since "$t")
    compare "$name"
    cancel_job "$pjob"
  done
fi

echo
echo "Fault test: $PERSONS persons, $total events, one replay as the reference; read_committed output."
echo "  faults: kill -9 of a TaskManager after part 1, SIGTERM + restart of the Kafka broker right after"
echo "          part 2 ($BROKER_DOWN s down), again after part 3 for $LONG_OUTAGE s (past the producers' delivery timeout),"
echo "          stop-with-savepoint and resume, then part 4 and the markers"
if (( WITH_PARALLELISM )); then echo "  p1, p4: the same input read again by a fresh job at flink.parallelism=1, then 4"; fi
echo
header=$(printf '  %-40s %9s' "what" "expected")
for sc in "${scenarios[@]}"; do header+=$(printf ' %9s' "$sc"); done
echo "$header"
row() { # label, expected, key
  local line
  line=$(printf '  %-40s %9s' "$1" "$2")
  for sc in "${scenarios[@]}"; do line+=$(printf ' %9s' "${result[$sc.$3]:-}"); done
  echo "$line"
}
row "alert records (alerts topic)" "$expected_alerts" alert_records
row "distinct alert ids" "$expected_alerts" alert_distinct
row "replay alert ids missing" 0 alert_missing
row "alert ids not in the replay" 0 alert_extra
row "verdict records (verdicts topic)" "$expected_verdicts" verdict_records
row "distinct requests with a verdict" "$expected_verdicts" verdict_distinct
row "replay verdicts missing" 0 verdict_missing
row "verdicts not in the replay" 0 verdict_extra
if (( WITH_PARALLELISM )); then row "max vertex parallelism" "" vertex_parallelism; fi
row "result" PASS pass
echo
printf '  %-52s %10s\n' "short outage: checkpoint restores / failed ckpts" "${outage[broker.restores]} / ${outage[broker.failed_checkpoints]}"
printf '  %-52s %10s\n' "short outage: job seen out of RUNNING" "${outage[broker.left_running]}"
printf '  %-52s %10s\n' "long outage: checkpoint restores / failed ckpts" "${outage[long_outage.restores]} / ${outage[long_outage.failed_checkpoints]}"
printf '  %-52s %10s\n' "long outage: job failed over (required)" "$long_outage_failover"
printf '  %-52s %10s\n' "TaskManagers that died during short / long outage" "${outage[broker.taskmanagers_lost]} / ${outage[long_outage.taskmanagers_lost]}"
echo
printf '  %-52s %10s\n' "timing" "seconds"
for key in replay cluster_start submit new_taskmanager_registered kill_to_failure_detected kill_to_running_again \
    broker_sigterm_to_exit broker_restart_command broker_restart_issued_to_checkpoint_after \
    broker_sigterm_to_checkpoint_after_restart long_outage_sigterm_to_exit long_outage_restart_command \
    long_outage_restart_issued_to_checkpoint_after long_outage_sigterm_to_checkpoint_after_restart stop_with_savepoint resume_from_savepoint traffic_to_complete_output \
    p1_submit p1_submit_to_complete_output p4_submit p4_submit_to_complete_output; do
  if [[ -n "${timing[$key]:-}" ]]; then printf '  %-52s %10s\n' "${key//_/ }" "${timing[$key]}"; fi
done
echo

failed=()
for sc in "${scenarios[@]}"; do [[ "${result[$sc.pass]}" == PASS ]] || failed+=("$sc"); done
[[ "$long_outage_failover" == PASS ]] || failed+=("long-outage-failover")
if (( ${#failed[@]} == 0 )); then
  echo "PASS: exactly once (nothing lost, nothing duplicated) across a TaskManager crash, a short broker restart,"
  echo "a broker outage past the delivery timeout (the job failed over) and a savepoint restore$( (( WITH_PARALLELISM )) && echo "; same alert ids and verdicts at parallelism 1 and 4")"
else
  echo "FAIL: ${failed[*]} (output compared with the replay; kept $work for inspection)"
  KEEP=1
  exit 1
fi
