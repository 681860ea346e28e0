#!/usr/bin/env python3
"""Prints the side-by-side table of scripts/bench.sh: accolade-core (criterion medians) beside
the peers timed in the same run (vc-js always, ssi 0.16 when it was run), with the ratios.

    bench-summary.py CRITERION_OUTPUT PEERS_FILE

PEERS_FILE holds lines `PEER SUITE OP FIXTURE MICROSECONDS`, e.g. `vc-js eddsa-rdfc-2022 sign
06-ob3-full 29512.3`.
"""

import re
import sys

UNITS = {"ns": 1e-3, "µs": 1.0, "us": 1.0, "ms": 1e3, "s": 1e6}
FIXTURES = {"ob3-minimal": "05-ob3-minimal", "ob3-full": "06-ob3-full"}


def criterion(path):
    """Bench name -> median time in µs."""
    times, name = {}, None
    for line in open(path, encoding="utf-8"):
        line = line.rstrip("\n")
        # A bench's name starts its line; `time: [...]` follows on the same line, or on the
        # next one when the name is long.
        head = re.match(r"^(\S+/\S+)", line)
        if head:
            name = head.group(1)
        timed = re.search(r"time:\s+\[\S+ \S+ (\S+) (\S+) \S+ \S+\]", line)
        if timed and name:
            times[name] = float(timed.group(1)) * UNITS[timed.group(2)]
            name = None
    return times


def per_second(us):
    return f"{1e6 / us:,.0f}/s"


def fmt(us):
    return f"{us / 1e3:.2f} ms" if us >= 1000 else f"{us:.1f} µs"


def main():
    ours = criterion(sys.argv[1])
    peers = {}
    for line in open(sys.argv[2], encoding="utf-8"):
        parts = line.split()
        if len(parts) == 5:
            peer, suite, op, fixture, us = parts
            peers[(peer, suite, op, fixture)] = float(us)
    names = sorted({p[0] for p in peers})
    header = ["case", "accolade"] + [f"{n} (ratio)" for n in names]
    print("| " + " | ".join(header) + " |")
    print("|" + "---|" * len(header))
    for name in sorted(ours):
        parts = name.split("/")
        if len(parts) != 3 or parts[0] not in ("sign", "verify", "engine"):
            continue
        op, suite, label = parts
        us = ours[name]
        row = [f"{op} {suite} {label}", f"{fmt(us)} ({per_second(us)})"]
        for peer in names:
            # A peer's verify is its whole credential check, so it stands beside both our
            # proof check (`verify`) and our whole engine (`engine`).
            peer_op = "verify" if op == "engine" else op
            theirs = peers.get((peer, suite, peer_op, FIXTURES.get(label, label)))
            row.append(f"{fmt(theirs)} ({theirs / us:.0f}×)" if theirs else "")
        print("| " + " | ".join(row) + " |")
    raw = ours.get("raw-ed25519/sign")
    if raw:
        print(f"\nraw Ed25519 sign: {fmt(raw)} ({per_second(raw)})")
        for name in ("sign/eddsa-rdfc-2022/ob3-minimal", "sign/eddsa-rdfc-2022/ob3-full"):
            if name in ours:
                print(f"{name}: {ours[name] / raw:.1f}× raw Ed25519")
    scale = {k: v for k, v in ours.items() if k.startswith("scale/")}
    if scale:
        print()
        for name in sorted(scale, key=lambda k: (k.rsplit("-", 1)[0], int(k.rsplit("-", 1)[1]))):
            print(f"{name}: {fmt(scale[name])}")


if __name__ == "__main__":
    main()
