#!/usr/bin/env python3
"""Times prio's interactive screen through a real pseudo-terminal (issue 10).

Starts `prio FILE` on the slave side of a pty of a fixed size, reads everything it writes
on the master side and timestamps it, the way a terminal emulator would see it:

- first frame: from just before the process is started to the last byte of the first
  frame: the output has shown the status line (--ready) and then stays quiet;
- key: from the moment a key's bytes are written to the pty to the last byte of the
  screen update they cause (the output then stays quiet for --quiet ms).

Only the standard library is used. Reading is done as fast as the pty delivers, so the
figures are prio's own (computing the frame, ncurses building and writing the update),
without the time a terminal emulator needs to parse and paint it.

Usage: bench-terminal.py PRIO FILE [--size 120x40] [--runs N] [--keys N] [--term T]
"""

import argparse
import fcntl
import os
import select
import signal
import statistics
import struct
import subprocess
import sys
import termios
import time

# Keys and the sequences a terminal sends for them. Each scenario alternates keys that
# always change the screen, so every key has a visible update to wait for.
SCENARIOS = {
    "j/k (cursor)": [b"j", b"j", b"k"],
    "PgDn/PgUp": [b"\x1b[6~", b"\x1b[6~", b"\x1b[5~"],
    "J/K (reorder)": [b"J", b"K"],
    "J then u (undo)": [b"J", b"u"],
    "s (strategy, cycling)": [b"s"],
    # Issue 28: ':' then an ID and Enter (the jump), and search keystrokes with few matches.
    ": go-to (S-77777)": [b":", b"S", b"-", b"7", b"7", b"7", b"7", b"7", b"\r"],
    "/ search (typing 'reviews #9')": [b"/", b"r", b"e", b"v", b"i", b"e", b"w", b"s", b" ", b"#", b"9", b"\x1b"],
    # Issue 28: fold by epic and move an epic with its children (on a file with epics:
    # scripts/bench-terminal.sh makes one).
    "z (fold by epic / flat)": [b"z"],
    "z J K z (fold, move an epic, flat)": [b"z", b"J", b"K", b"z"],
}


def now_ms():
    return time.monotonic_ns() / 1e6


class Pty:
    def __init__(self, argv, columns, rows, term):
        self.master, slave = os.openpty()
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", rows, columns, 0, 0))
        env = dict(os.environ)
        env.update({"TERM": term, "LANG": "C.UTF-8", "LC_ALL": "C.UTF-8", "COLUMNS": str(columns),
                    "LINES": str(rows)})
        env.pop("NO_COLOR", None)

        def child_setup():
            os.setsid()
            fcntl.ioctl(0, termios.TIOCSCTTY, 0)

        self.started = now_ms()
        self.process = subprocess.Popen(argv, stdin=slave, stdout=slave, stderr=slave, env=env,
                                        preexec_fn=child_setup, close_fds=True)
        os.close(slave)
        self.total = 0

    def read_until_quiet(self, quiet_ms, first_byte_timeout_ms=20_000, ready=None):
        """Reads until the output has been quiet for quiet_ms after at least one byte (and,
        with `ready`, after those bytes were seen). Returns (time of the first byte, time of
        the last byte, bytes read)."""
        first = last = None
        count = 0
        seen = b""
        deadline = now_ms() + first_byte_timeout_ms
        while True:
            waiting = last is None or (ready is not None and ready not in seen)
            timeout = (deadline - now_ms()) if waiting else (last + quiet_ms - now_ms())
            if timeout <= 0:
                break
            readable, _, _ = select.select([self.master], [], [], timeout / 1000)
            if not readable:
                continue
            try:
                data = os.read(self.master, 1 << 16)
            except OSError:
                break
            if not data:
                break
            t = now_ms()
            if first is None:
                first = t
            last = t
            count += len(data)
            if ready is not None and ready not in seen:
                seen = seen[-len(ready):] + data
        self.total += count
        return first, last, count

    def send(self, data):
        os.write(self.master, data)
        return now_ms()

    def close(self):
        try:
            self.send(b"q")
            # A dirty backlog asks before quitting: d quits without saving.
            time.sleep(0.05)
            self.send(b"d")
            self.process.wait(timeout=5)
        except Exception:
            self.process.kill()
            self.process.wait()
        try:
            while select.select([self.master], [], [], 0)[0] and os.read(self.master, 1 << 16):
                pass
        except OSError:
            pass
        os.close(self.master)


def percentile(values, p):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]


def line(name, values, unit="ms", extra=""):
    if not values:
        return f"{name:<24} (no samples)"
    return (f"{name:<24} median {statistics.median(values):8.2f} {unit}   p90 {percentile(values, 90):8.2f} {unit}"
            f"   min {min(values):8.2f}   n={len(values)}{extra}")


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("prio")
    parser.add_argument("file")
    parser.add_argument("--size", default="120x40", help="COLUMNSxROWS (default 120x40)")
    parser.add_argument("--runs", type=int, default=5, help="processes started (default 5)")
    parser.add_argument("--keys", type=int, default=30, help="keys per scenario per run (default 30)")
    parser.add_argument("--term", default="xterm-256color")
    parser.add_argument("--quiet", type=float, default=40, help="ms of silence that ends a key's update")
    parser.add_argument("--first-quiet", type=float, default=300,
                        help="ms of silence after the status line that ends the first frame")
    parser.add_argument("--ready", default="q quit", help="text of the first frame's status line")
    parser.add_argument("--scenario", action="append", help="only these scenarios (by name prefix)")
    args = parser.parse_args()
    columns, rows = (int(x) for x in args.size.split("x"))
    scenarios = {name: keys for name, keys in SCENARIOS.items()
                 if not args.scenario or any(name.startswith(s) for s in args.scenario)}

    first_frames, first_bytes = [], []
    keys = {name: [] for name in scenarios}
    first_keys = {name: [] for name in scenarios}
    sizes = {name: [] for name in scenarios}
    for run in range(args.runs):
        for name, sequence in scenarios.items():
            pty = Pty([args.prio, args.file], columns, rows, args.term)
            _, last, count = pty.read_until_quiet(args.first_quiet, 60_000, ready=args.ready.encode())
            if last is None:
                sys.exit("prio wrote nothing: " + " ".join([args.prio, args.file]))
            if count < 1000:
                sys.exit(f"the first frame was {count} bytes: is a prompt (a recovery file?) in the way?")
            first_frames.append(last - pty.started)
            first_bytes.append(count)
            for k in range(args.keys + 1):
                sent = pty.send(sequence[k % len(sequence)])
                _, last, count = pty.read_until_quiet(args.quiet, first_byte_timeout_ms=5_000)
                if last is None:
                    print(f"warning: {name}: key {k} changed nothing on the screen", file=sys.stderr)
                    continue
                if k == 0:
                    first_keys[name].append(last - sent)  # the first key after the first frame
                else:
                    keys[name].append(last - sent)
                    sizes[name].append(count)
            pty.close()

    print(f"prio through a pty at {columns}x{rows} (TERM={args.term}), {args.runs} runs x {args.keys} keys")
    print(line("first frame", first_frames, extra=f"   {int(statistics.median(first_bytes))} bytes"))
    for name in scenarios:
        size = f"   {int(statistics.median(sizes[name]))} bytes/key" if sizes[name] else ""
        print(line(name, keys[name], extra=size))
        print(line("  its first key", first_keys[name]))


if __name__ == "__main__":
    main()
