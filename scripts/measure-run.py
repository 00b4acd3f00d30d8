#!/usr/bin/env python3
"""Runs one benchmark command with a time limit and prints one JSON line about it.

usage: scripts/measure-run.py NAME TIMEOUT_S EVENTS_FILE REQUESTS OUT_DIR -- COMMAND...

The command's stdout/stderr go to OUT_DIR/NAME.out and .err. Once a second the process is
sampled from /proc: its peak resident set (VmHWM), its CPU time, and how far it has read
EVENTS_FILE (the file offset of the descriptor open on it, from /proc/PID/fdinfo), so a run that
is cut off still says how far it got. At the limit it gets SIGTERM, and SIGKILL 15 s later.
The command must be (or exec) the measured JVM itself, so the sampled process is the one working.
"""
import glob
import json
import os
import re
import signal
import subprocess
import sys
import time

TICKS = os.sysconf("SC_CLK_TCK")


def sample(pid, events):
    """(peak RSS KiB, CPU seconds, bytes of EVENTS read) of a live process, or None when gone."""
    try:
        with open(f"/proc/{pid}/status") as f:
            status = f.read()
        with open(f"/proc/{pid}/stat") as f:
            stat = f.read().rsplit(")", 1)[1].split()
    except OSError:
        return None
    hwm = int(re.search(r"VmHWM:\s+(\d+)", status).group(1)) if "VmHWM" in status else 0
    cpu = (int(stat[11]) + int(stat[12])) / TICKS  # utime, stime (fields 14 and 15)
    read = 0
    for fd in glob.glob(f"/proc/{pid}/fd/*"):
        try:
            if os.readlink(fd) == events:
                with open(f"/proc/{pid}/fdinfo/{os.path.basename(fd)}") as f:
                    read = max(read, int(re.search(r"pos:\s+(\d+)", f.read()).group(1)))
        except OSError:
            pass
    return hwm, cpu, read


def main():
    if "--" not in sys.argv or sys.argv.index("--") != 6:
        sys.exit(__doc__)
    name, timeout, events, requests, out_dir = sys.argv[1:6]
    command = sys.argv[7:]
    timeout = float(timeout)
    events = os.path.realpath(events)
    size = os.path.getsize(events)
    with open(events, "rb") as f:
        records = sum(1 for _ in f)

    started = time.monotonic()
    with open(f"{out_dir}/{name}.out", "wb") as out, open(f"{out_dir}/{name}.err", "wb") as err:
        process = subprocess.Popen(command, stdout=out, stderr=err)
    peak_rss, cpu, furthest = 0, 0.0, 0
    cut_off = False
    rusage = None
    while True:
        pid_done, status, rusage = os.wait4(process.pid, os.WNOHANG)
        if pid_done:
            break
        now = sample(process.pid, events)
        if now:
            peak_rss, cpu, furthest = max(peak_rss, now[0]), max(cpu, now[1]), max(furthest, now[2])
        elapsed = time.monotonic() - started
        if not cut_off and elapsed > timeout:
            cut_off = True
            wall_at_cut = elapsed
            process.send_signal(signal.SIGTERM)
            kill_at = time.monotonic() + 15
        if cut_off and time.monotonic() > kill_at:
            process.kill()
        time.sleep(1 if not cut_off else 0.2)
    wall = wall_at_cut if cut_off else time.monotonic() - started
    if not cut_off:
        # Completed: the kernel's accounting is exact (ru_maxrss is in KiB on Linux).
        peak_rss = max(peak_rss, rusage.ru_maxrss)
        cpu = rusage.ru_utime + rusage.ru_stime
        furthest = size
    code = os.waitstatus_to_exitcode(status)

    out_text = open(f"{out_dir}/{name}.out", errors="replace").read()
    err_text = open(f"{out_dir}/{name}.err", errors="replace").read()
    job = re.search(r"Replay finished in ([\d.]+) s", out_text) or re.search(r'"jobSeconds":([\d.]+)', out_text)
    gc_log = ""
    if os.path.exists(f"{out_dir}/{name}.gc.log"):
        gc_log = open(f"{out_dir}/{name}.gc.log", errors="replace").read()
    outcome = "timeout" if cut_off else ("ok" if code == 0 else f"failed (exit {code})")
    if "OutOfMemoryError" in err_text or "OutOfMemoryError" in out_text:
        outcome += ", OutOfMemoryError"
    print(json.dumps({
        "run": name, "status": outcome, "events": events, "records": records, "requests": int(requests),
        "wallSeconds": round(wall, 1), "jobSeconds": float(job.group(1)) if job else None,
        "cpuSeconds": round(cpu, 1), "peakRssKiB": peak_rss,
        "inputRead": round(furthest / size, 3),
        "fullGcs": len(re.findall(r"Pause Full", gc_log)), "gcPauses": len(re.findall(r"\bPause ", gc_log)),
        "timeoutSeconds": timeout,
        "lastError": next((l.strip() for l in reversed(err_text.splitlines())
                           if "Error" in l or "Exception" in l), None)}))


if __name__ == "__main__":
    main()
