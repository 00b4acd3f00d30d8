#!/usr/bin/env python3
"""Where the CPU went in a JDK Flight Recorder recording.

usage: scripts/jfr-hot-frames.py RECORDING.jfr [--top N] [--depth D] [--thread-prefix P] [--json]
                                  [--callers-of REGEX]

Reads the jdk.ExecutionSample events (`jfr print --json`) and prints
  - the top N methods by self samples (the frame on top of the stack),
  - the top N methods by inclusive samples (anywhere on the stack, counted once per sample),
  - the samples by component (JSON decode/encode, Flink serialisation, Kryo, keyed state,
    timers, network stack, the photo index, patterns, ...), each sample going to the
    innermost frame that names a component,
  - samples by thread name (numbers stripped), and GC pauses from jdk.GarbageCollection.
Execution samples cover Java threads running Java code; GC and JIT threads are not sampled,
so the GC line is pause time, not CPU.
"""
import argparse
import collections
import json
import re
import subprocess
import sys

# Innermost matching frame decides; order matters only among rules matching the same frame.
COMPONENTS = [
    ("Kryo (generic types)", re.compile(r"^com\.esotericsoftware\.kryo\.|GenericTypeInfo|KryoSerializer")),
    ("JSON decode (EventDecoder + Jackson)", re.compile(r"^io\.refundguard\.events\.(EventDecoder|JsonFields)")),
    ("JSON encode (alerts, verdicts)", re.compile(r"^io\.refundguard\.(alerts\.OutputJson|job\.ToOutbound)")),
    ("photo index (near-duplicate + exact)", re.compile(
        r"^io\.refundguard\.images\.(NearDuplicateIndexFunction|ExactDuplicateIndexFunction|MultiIndexHashing|"
        r"LookUpEvidence|GatherImageFindings|CatalogRegistry|CatalogProbes|IndexedImage|ImageProbe|ProbeResult)")),
    ("patterns (person, ring, burst, cluster)", re.compile(r"^io\.refundguard\.patterns\.")),
    ("verdicts and alerts", re.compile(r"^io\.refundguard\.alerts\.")),
    ("event-time ordering (buffer)", re.compile(r"^io\.refundguard\.job\.(EventTimeBuffer|EventTimeOrderedFunction|RuledEventTimeOrderedFunction)")),
    ("dedupe, link, erasure ledger", re.compile(r"^io\.refundguard\.(events\.DeduplicateEvents|identity\.)")),
    ("file source (line reader)", re.compile(r"^io\.refundguard\.job\.FileIo\$JsonLines|^org\.apache\.flink\.connector\.file\.src")),
    ("file sink", re.compile(r"^io\.refundguard\.job\.FileIo\$PartFile")),
    ("timers (heap priority queue)", re.compile(
        r"^org\.apache\.flink\.streaming\.api\.operators\.(InternalTimerServiceImpl|TimerHeapInternalTimer)|"
        r"^org\.apache\.flink\.runtime\.state\.heap\.(HeapPriorityQueue|KeyGroupPartitionedPriorityQueue)")),
    ("keyed state: heap TTL (incremental cleanup, TTL wrappers)", re.compile(
        r"^org\.apache\.flink\.runtime\.state\.(ttl\.|heap\.CopyOnWriteStateMap\$StateIncrementalVisitorImpl)")),
    ("Flink serialisation (POJO/record/basic serializers)", re.compile(
        r"^org\.apache\.flink\.(api\.java\.typeutils\.runtime|api\.common\.typeutils|core\.memory\.DataOutputSerializer|"
        r"core\.memory\.DataInputDeserializer|runtime\.plugable|streaming\.runtime\.streamrecord\.StreamElementSerializer|"
        r"types\.StringValue)")),
    ("keyed state: heap backend (get/put/iterate)", re.compile(r"^org\.apache\.flink\.runtime\.state\.heap\.")),
    ("keyed state (RocksDB)", re.compile(r"^org\.(apache\.flink\.contrib\.streaming\.state|rocksdb)\.")),
    ("network stack (record writer/reader, buffers)", re.compile(
        r"^org\.apache\.flink\.runtime\.io\.network\.|^org\.apache\.flink\.streaming\.runtime\.io\.")),
    ("watermarks", re.compile(r"^org\.apache\.flink\.(api\.common\.eventtime|streaming\.runtime\.watermarkstatus|"
                              r"streaming\.runtime\.operators\.TimestampsAndWatermarks)")),
    ("other RefundGuard code", re.compile(r"^io\.refundguard\.")),
    ("other Jackson", re.compile(r"^com\.fasterxml\.jackson\.")),
    ("other Flink runtime", re.compile(r"^org\.apache\.flink\.")),
]


def method_name(frame):
    method = frame.get("method") or {}
    owner = (method.get("type") or {}).get("name", "?")
    return owner.replace("/", ".") + "." + method.get("name", "?")


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("recording")
    parser.add_argument("--top", type=int, default=15)
    parser.add_argument("--depth", type=int, default=96)
    parser.add_argument("--thread-prefix", default="", help="only samples of threads whose name starts with this")
    parser.add_argument("--json", action="store_true", help="also print one JSON line with the tables")
    parser.add_argument("--callers-of", metavar="REGEX",
                        help="also list, for samples with a frame matching REGEX, the RefundGuard method nearest above it")
    args = parser.parse_args()

    raw = subprocess.run(["jfr", "print", "--json", "--stack-depth", str(args.depth), "--events",
                          "jdk.ExecutionSample,jdk.GarbageCollection", args.recording],
                         check=True, capture_output=True, text=True).stdout
    events = json.loads(raw)["recording"]["events"]

    self_counts = collections.Counter()
    inclusive = collections.Counter()
    components = collections.Counter()
    threads = collections.Counter()
    callers = collections.Counter()
    callee = re.compile(args.callers_of) if args.callers_of else None
    gc_pause_ns = 0
    gc_count = 0
    samples = 0
    for event in events:
        values = event["values"]
        if event["type"] == "jdk.GarbageCollection":
            gc_count += 1
            gc_pause_ns += duration_ns(values.get("sumOfPauses"))
            continue
        thread = (values.get("sampledThread") or {}).get("javaName") or "?"
        if not thread.startswith(args.thread_prefix):
            continue
        frames = ((values.get("stackTrace") or {}).get("frames")) or []
        if not frames:
            continue
        samples += 1
        threads[re.sub(r"\d+", "#", thread)] += 1
        names = [method_name(f) for f in frames]
        self_counts[names[0]] += 1
        for name in set(names):
            inclusive[name] += 1
        components[component_of(names)] += 1
        if callee:
            hit = next((i for i, n in enumerate(names) if callee.search(n)), None)
            if hit is not None:
                callers[next((n for n in names[hit:] if n.startswith("io.refundguard.")), "(none)")] += 1

    if samples == 0:
        sys.exit("no execution samples in " + args.recording)
    print(f"{samples} execution samples, {gc_count} GCs with {gc_pause_ns / 1e9:.2f} s of pauses")
    table("self (top frame)", self_counts, samples, args.top)
    table("inclusive (anywhere on the stack)", inclusive, samples, args.top)
    table("by component (innermost frame naming one)", components, samples, len(components))
    ours = collections.Counter({k: v for k, v in inclusive.items() if k.startswith("io.refundguard.")})
    table("RefundGuard methods, inclusive", ours, samples, args.top)
    table("by thread", threads, samples, 12)
    if callee:
        table(f"nearest RefundGuard caller of {args.callers_of}", callers, samples, args.top)
    if args.json:
        print(json.dumps({"samples": samples, "gcPauseSeconds": round(gc_pause_ns / 1e9, 3),
                          "self": share_list(self_counts, samples, args.top),
                          "components": share_list(components, samples, len(components))}))


def component_of(names):
    for name in names:
        for component, pattern in COMPONENTS:
            if pattern.search(name):
                if component == "other Jackson":
                    return "JSON decode (EventDecoder + Jackson)" if any("EventDecoder" in n for n in names) \
                        else "JSON encode (alerts, verdicts)"
                return component
    return "JDK and other"


def duration_ns(value):
    # jfr --json prints durations as ISO-8601 ("PT0.001234S") or as numbers of nanoseconds.
    if value is None:
        return 0
    if isinstance(value, (int, float)):
        return int(value)
    match = re.fullmatch(r"PT(?:(\d+)H)?(?:(\d+)M)?(?:([\d.]+)S)?", value)
    if not match:
        return 0
    hours, minutes, seconds = match.groups()
    return int((int(hours or 0) * 3600 + int(minutes or 0) * 60 + float(seconds or 0)) * 1e9)


def share_list(counter, total, n):
    return [{"name": name, "samples": count, "share": round(count / total, 4)} for name, count in counter.most_common(n)]


def table(title, counter, total, n):
    print()
    print(f"  {title}")
    for name, count in counter.most_common(n):
        print(f"  {100.0 * count / total:6.1f} %  {count:7d}  {name}")


if __name__ == "__main__":
    main()
