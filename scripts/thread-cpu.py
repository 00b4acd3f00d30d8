#!/usr/bin/env python3
"""CPU time per thread of a running process, by thread name, from the kernel's own counters.

usage: scripts/thread-cpu.py PID [--interval SECONDS] [--top N] [--json]

Reads utime + stime of every thread in /proc/PID/task/*/stat until the process exits and prints
the reading with the most CPU in all (the last one before the task threads ended), summed by
thread name with the trailing subtask numbers dropped, so both subtasks of an operator are one
row. Flink names each task thread after its chained operators, cut to 15 characters by the
kernel.

Why not a sampling profiler alone: JFR samples threads that are in Java code, and a thread the
operating system has preempted is still in Java code. On a machine with fewer cores than busy
threads that counts waiting as work; these counters count only time on a core.
"""
import argparse
import json
import os
import re
import sys
import time


def reading(pid):
    ticks = {}
    try:
        tasks = os.listdir(f"/proc/{pid}/task")
    except FileNotFoundError:
        return None
    for tid in tasks:
        try:
            with open(f"/proc/{pid}/task/{tid}/comm") as f:
                name = f.read().strip()
            with open(f"/proc/{pid}/task/{tid}/stat") as f:
                fields = f.read().rsplit(")", 1)[1].split()
        except (FileNotFoundError, ProcessLookupError, IndexError):
            continue
        # Fields after the command: state is the first, utime the 12th, stime the 13th.
        used = int(fields[11]) + int(fields[12])
        key = re.sub(r"[\s#(]*[0-9/]*$", "", name) or name
        ticks[key] = ticks.get(key, 0) + used
    return ticks


def main():
    parser = argparse.ArgumentParser(description="CPU time per thread name of a running process.")
    parser.add_argument("pid", type=int)
    parser.add_argument("--interval", type=float, default=1.0)
    parser.add_argument("--top", type=int, default=25)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    hz = os.sysconf("SC_CLK_TCK")
    best, started = None, time.time()
    while True:
        current = reading(args.pid)
        if current is None:
            break
        if best is None or sum(current.values()) >= sum(best.values()):
            best = current
        time.sleep(args.interval)
    if not best:
        print(f"thread-cpu: no readings of process {args.pid}", file=sys.stderr)
        return 2
    total = sum(best.values())
    rows = sorted(best.items(), key=lambda item: -item[1])
    if args.json:
        print(json.dumps({"cpuSeconds": total / hz, "wallSeconds": round(time.time() - started, 1),
                          "threads": {name: used / hz for name, used in rows}}))
        return 0
    print(f"{total / hz:8.1f} s CPU in all, over {time.time() - started:.0f} s observed")
    for name, used in rows[:args.top]:
        print(f"{used / hz:8.1f} s {100.0 * used / total:5.1f} %  {name}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
