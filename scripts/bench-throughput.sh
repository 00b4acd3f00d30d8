#!/usr/bin/env bash
# The replay (the whole RefundGuard job) against a Flink SQL peer that applies only the
# repeat-refunder rule, side by side in one run on this machine (issue #11):
#   1. simulate N requests with one photo each (and listing photos), and the same requests without photos
#   2. the SQL peer over each file (RepeatRefunderSqlBenchmark, -Xmx2g)
#   3. jobs/refundguard replay over each file with the launcher's default memory (-Xmx2g, which a
#      replay may grow from its input as the plain launcher command does), cut off
#      after --timeout seconds
#   4. a table (records, wall and job seconds, requests/s, ratio to the peer, CPU seconds, peak RSS,
#      full GCs) and one JSON line per run; a run that was cut off shows how much of its input it had
#      read, and the rate as an upper bound
#
# usage: scripts/bench-throughput.sh [--persons 80000] [--requests 400000] [--days 60] [--seed 42]
#            [--timeout 900] [--parallelism 2] [--dir var/bench] [--jfr] [--skip-build]
#   --jfr   also record each run with JDK Flight Recorder into DIR/<run>.jfr
#           (scripts/jfr-hot-frames.py DIR/<run>.jfr prints where the CPU went)
# Targets from the issue: without photos >= 1.0x the peer's requests/s, with one photo >= 0.5x.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

persons=80000
requests=400000
days=60
seed=42
timeout=900
parallelism=2
dir=var/bench
jfr=false
build=true
while [[ $# -gt 0 ]]; do
  case "$1" in
    --persons) persons="$2"; shift 2 ;;
    --requests) requests="$2"; shift 2 ;;
    --days) days="$2"; shift 2 ;;
    --seed) seed="$2"; shift 2 ;;
    --timeout) timeout="$2"; shift 2 ;;
    --parallelism) parallelism="$2"; shift 2 ;;
    --dir) dir="$2"; shift 2 ;;
    --jfr) jfr=true; shift ;;
    --skip-build) build=false; shift ;;
    -h|--help) sed -n '2,16p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "bench-throughput: unknown option $1 (see --help)" >&2; exit 2 ;;
  esac
done
for tool in python3 java mvn; do
  command -v "$tool" >/dev/null || { echo "bench-throughput: needs $tool" >&2; exit 2; }
done

mkdir -p "$dir"
dir="$(cd "$dir" && pwd)"
results="$dir/results.jsonl"
: > "$results"

if $build; then
  echo "building (mvn package, tests skipped) ..." >&2
  mvn -B -ntp -q -DskipTests package
  touch target/.launcher-build
fi
test_classpath="target/classes:target/test-classes:$(cat target/test.classpath)"

machine_json() {
  python3 - "$@" <<'EOF'
import json, os, subprocess, sys, datetime
model = next((l.split(":", 1)[1].strip() for l in open("/proc/cpuinfo") if l.startswith("model name")), "?")
java = subprocess.run(["java", "-version"], capture_output=True, text=True).stderr.splitlines()
mem = next((int(l.split()[1]) for l in open("/proc/meminfo") if l.startswith("MemTotal")), 0)
print(json.dumps({"run": "machine", "date": datetime.datetime.now().astimezone().isoformat(timespec="seconds"),
                  "nproc": os.cpu_count(), "cpu": model, "memGiB": round(mem / 1048576, 1),
                  "java": java[1] if len(java) > 1 else java[0], "loadavg": open("/proc/loadavg").read().split()[:3]}))
EOF
}
machine_json >> "$results"

# ---- 1. the traffic ---------------------------------------------------------------------------
sim=(--persons "$persons" --requests "$requests" --days "$days" --seed "$seed" --start fixed)
echo "simulating $requests requests from $persons persons over $days days, with and without photos ..." >&2
jobs/refundguard simulate "${sim[@]}" --out "$dir/photos/events.jsonl" --catalog-out "$dir/photos/catalog.jsonl" \
    --labels "$dir/photos/labels.jsonl" > "$dir/simulate-photos.txt"
jobs/refundguard simulate "${sim[@]}" --photos-per-request 0 --out "$dir/nophotos/events.jsonl" \
    --labels "$dir/nophotos/labels.jsonl" > "$dir/simulate-nophotos.txt"
simulated_requests="$(sed -n 's/^  refund requests *\([0-9]*\)$/\1/p' "$dir/simulate-photos.txt")"

# ---- 2./3. the runs ---------------------------------------------------------------------------
# measure NAME EVENTS_FILE CMD...: runs CMD (a JVM, exec'd) under scripts/measure-run.py, appends a JSON line.
measure() {
  local name="$1" events="$2"; shift 2
  # The launcher's default heap, marked as its own (-Drefundguard.defaultHeap=true, as jobs/refundguard
  # does when REFUNDGUARD_JAVA_OPTS is unset), so a replay may size its heap from its input as a
  # plain `jobs/refundguard replay` does; the peer ignores the mark.
  local java_opts="-Xmx2g -Drefundguard.defaultHeap=true -Xlog:gc:file=$dir/$name.gc.log"
  if $jfr; then
    java_opts="$java_opts -XX:StartFlightRecording=filename=$dir/$name.jfr,settings=profile"
  fi
  echo "running $name (cut off after $timeout s) ..." >&2
  REFUNDGUARD_JAVA_OPTS="$java_opts" JAVA_OPTS_BENCH="$java_opts" \
    python3 scripts/measure-run.py "$name" "$timeout" "$events" "$simulated_requests" "$dir" -- "$@" >> "$results"
  tail -n 1 "$results" >&2
}

peer_with_opts() {  # the peer gets the same JVM options as the replay (GC log, JFR)
  exec java $JAVA_OPTS_BENCH -Dlog4j2.configurationFile="$root/config/log4j2.properties" -cp "$test_classpath" \
      io.refundguard.bench.RepeatRefunderSqlBenchmark "$@"
}
export -f peer_with_opts
export root test_classpath

measure peer-nophotos "$dir/nophotos/events.jsonl" \
    bash -c 'peer_with_opts "$@"' _ "$dir/nophotos/events.jsonl" "$dir/peer-nophotos" "$parallelism"
measure replay-nophotos "$dir/nophotos/events.jsonl" \
    jobs/refundguard replay --events "$dir/nophotos/events.jsonl" --out "$dir/replay-nophotos" --parallelism "$parallelism"
measure peer-photos "$dir/photos/events.jsonl" \
    bash -c 'peer_with_opts "$@"' _ "$dir/photos/events.jsonl" "$dir/peer-photos" "$parallelism"
measure replay-photos "$dir/photos/events.jsonl" \
    jobs/refundguard replay --events "$dir/photos/events.jsonl" --catalog "$dir/photos/catalog.jsonl" \
    --out "$dir/replay-photos" --parallelism "$parallelism"
machine_json | sed 's/"run": "machine"/"run": "machine-after"/' >> "$results"

# ---- 4. the table -----------------------------------------------------------------------------
python3 - "$results" <<'EOF'
import json, sys
rows = [json.loads(l) for l in open(sys.argv[1])]
machine = rows[0]
after = rows[-1]
runs = {r["run"]: r for r in rows if "records" in r}
print()
print(f"machine: nproc {machine['nproc']}, {machine['cpu']}, {machine['memGiB']} GiB, {machine['java']}")
print(f"date {machine['date']}, load average {' '.join(machine['loadavg'])} before, {' '.join(after['loadavg'])} after")
print()
header = ("run", "status", "records", "requests", "wall s", "job s", "requests/s", "vs peer", "target",
          "CPU s", "peak RSS", "full GCs")
print("| " + " | ".join(header) + " |")
print("|" + "|".join(["---"] * 2 + ["---:"] * 10) + "|")
targets = {"replay-nophotos": ("peer-nophotos", 1.0), "replay-photos": ("peer-photos", 0.5)}

def rate_of(r):
    # Completed: the job's own time (MiniCluster start to complete output, both programs measured
    # alike); cut off: an upper bound from the wall time and the share of the input read.
    if r["status"].startswith("ok"):
        return r["requests"] / (r["jobSeconds"] or r["wallSeconds"])
    return r["requests"] * r["inputRead"] / r["wallSeconds"]

for name in ("peer-nophotos", "replay-nophotos", "peer-photos", "replay-photos"):
    r = runs.get(name)
    if r is None:
        continue
    done = r["status"].startswith("ok")
    rate = rate_of(r)
    r["requestsPerSecond"] = round(rate, 1)
    wall = f"{r['wallSeconds']:.1f}" if done else f"> {r['wallSeconds']:.0f}"
    job = f"{r['jobSeconds']:.1f}" if r["jobSeconds"] else ""
    per_second = f"{rate:,.0f}" if done else f"< {rate:,.0f}"
    ratio, target = "", ""
    if name in targets:
        peer_name, goal = targets[name]
        peer = runs.get(peer_name)
        if peer and peer["status"].startswith("ok"):
            value = rate / rate_of(peer)
            shown = f"{value:.2f}" if value >= 0.1 else f"{value:.3f}"
            ratio = f"{shown}x" if done else f"< {shown}x"
            target = f">= {goal}x: " + ("met" if done and value >= goal else "not met")
            r["ratioToPeer"] = round(value, 3) if done else f"< {value:.3f}"
    status = r["status"] + ("" if done else f" at {r['inputRead'] * 100:.0f} % of the input")
    print(f"| {name} | {status} | {r['records']:,} | {r['requests']:,} | {wall} | {job} | {per_second} | {ratio} "
          f"| {target} | {r['cpuSeconds']:.0f} | {r['peakRssKiB'] / 1048576:.2f} GiB | {r['fullGcs']} |")
print()
for name, r in runs.items():
    print(json.dumps(r))
EOF
