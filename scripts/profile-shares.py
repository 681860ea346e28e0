#!/usr/bin/env python3
"""Inclusive shares of the signing pipeline's steps in a `perf script` dump, and the allocator's
self time: the "Profile before and after" table of BENCHMARKS.md.

    cargo build --release -p accolade-core --example sign_many
    perf record --call-graph dwarf,16384 -o perf.data \\
        target/release/examples/sign_many fixtures/interop/06-ob3-full.json 1000
    perf script -i perf.data > perf.txt
    scripts/profile-shares.py perf.txt
"""

import collections
import sys

# (substring of a frame, step). A sample counts once per step whose frame is on its stack.
STEPS = [
    ("proof::add_proof", "add_proof (the whole signature)"),
    ("Processor::expand", "JSON-LD expansion (document and proof configuration)"),
    ("to_rdf::to_rdf", "expanded JSON -> quads"),
    ("to_rdf::to_dataset", "expanded JSON -> quads"),
    ("jsonld::direct", "direct walk: expansion and quads in one (stop 10)"),
    ("rdfc::canonicalize", "RDFC-1.0"),
    ("sha2::", "SHA-256, all of it"),
    ("SigningKey::sign", "Ed25519"),
    ("drop_in_place<serde_json", "dropping JSON values"),
]
ALLOCATOR = ("malloc", "free", "_mi_", "unlink_chunk")


def main():
    samples = [s for s in open(sys.argv[1], encoding="utf-8").read().split("\n\n") if s.strip()]
    inclusive = collections.Counter()
    allocator = 0
    for sample in samples:
        frames = sample.split("\n")[1:]
        inclusive.update({step for frame in frames for key, step in STEPS if key in frame})
        if frames and any(name in frames[0] for name in ALLOCATOR):
            allocator += 1
    total = len(samples)
    for step in dict.fromkeys(step for _, step in STEPS):
        print(f"| {step} | {100 * inclusive[step] / total:.0f}% |")
    print(f"| allocator, self time | {100 * allocator / total:.0f}% |")
    print(f"({total} samples)")


if __name__ == "__main__":
    main()
