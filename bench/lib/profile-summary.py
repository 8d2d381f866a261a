#!/usr/bin/env python3
"""Summarises async-profiler collapsed stacks (bench/run.sh --profile writes them next to each flame graph).

Usage: bench/lib/profile-summary.py FILE.collapsed [--top N] [--match REGEX ...]

With --layers: each sample is charged to the deepest request-processing layer on its stack (a servlet filter,
a Tomcat valve, the dispatcher, a controller, ...: frames whose method is doFilter, doFilterInternal, invoke,
service, doDispatch or handle, or of a dev/todoapi class), so each filter's share excludes the filters it calls;
samples of other threads are charged to GC, the JIT compiler or "other threads".

Prints the total samples, the frames with the most samples inclusive (a frame counted once per stack) and
self (the leaf), and for each --match the share of stacks with a frame matching it.
"""
import argparse
import collections
import re
import sys


BOUNDARY = re.compile(r"\.(doFilter|doFilterInternal|invoke|service|doDispatch|handle)$")


def layer_of(frames):
    """The class of the deepest layer frame (see --layers), or the kind of thread."""
    deepest = None
    for fr in frames:
        if fr.startswith("dev/todoapi/"):
            deepest = fr.rsplit(".", 1)[0].rsplit("$", 1)[0] if "$$" not in fr else fr.split("$$")[0]
        elif BOUNDARY.search(fr):
            deepest = fr.rsplit(".", 1)[0]
    if deepest:
        return deepest
    joined = ";".join(frames)
    if re.search(r"G1|GC|Gang|ConcurrentMark|WorkerThread::run|SafepointSynchronize", joined):
        return "(GC and VM threads)"
    if re.search(r"CompileBroker|C2Compiler|C1Compiler|Compilation", joined):
        return "(JIT compiler)"
    if "NioEndpoint$Poller" in joined or "Acceptor" in joined:
        return "org/apache/tomcat/util/net/NioEndpoint (poller, acceptor)"
    if "SocketProcessor" in joined or "Http11Processor" in joined:
        return "org/apache/coyote (HTTP parsing and writing, outside the valves)"
    return "(other threads)"


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("file")
    parser.add_argument("--top", type=int, default=25)
    parser.add_argument("--match", action="append", default=[])
    parser.add_argument("--under", help="only stacks with a frame matching this regex")
    parser.add_argument("--layers", action="store_true", help="charge each sample to its deepest layer")
    args = parser.parse_args()

    inclusive = collections.Counter()
    leaf = collections.Counter()
    matches = collections.Counter()
    layers = collections.Counter()
    total = 0
    under = re.compile(args.under) if args.under else None
    patterns = [(m, re.compile(m)) for m in args.match]
    with open(args.file) as f:
        for line in f:
            stack, _, count = line.rstrip("\n").rpartition(" ")
            if not stack:
                continue
            n = int(count)
            frames = stack.split(";")
            if under and not any(under.search(fr) for fr in frames):
                continue
            total += n
            for fr in set(frames):
                inclusive[fr] += n
            leaf[frames[-1]] += n
            if args.layers:
                layers[layer_of(frames)] += n
            for name, rx in patterns:
                if any(rx.search(fr) for fr in frames):
                    matches[name] += n
    if total == 0:
        print("no samples")
        return
    pct = lambda n: f"{100.0 * n / total:5.1f} %"
    print(f"{total} samples{' under ' + args.under if args.under else ''}")
    for name, _ in patterns:
        print(f"  {pct(matches[name])}  stacks with /{name}/")
    if args.layers:
        print("by layer (deepest layer on the stack):")
        for name, n in layers.most_common(args.top * 2):
            print(f"  {pct(n)}  {name}")
        return
    print(f"top {args.top} inclusive:")
    for fr, n in inclusive.most_common(args.top):
        print(f"  {pct(n)}  {fr}")
    print(f"top {args.top} self:")
    for fr, n in leaf.most_common(args.top):
        print(f"  {pct(n)}  {fr}")


if __name__ == "__main__":
    sys.exit(main())
