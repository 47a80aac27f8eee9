#!/usr/bin/env python3
"""Keeps a small corpus: the inputs that together cover the most edges.

    python3 fuzz/minimize.py TARGET MAX_FILES DIR...

Runs the target binary (built by `cargo fuzz build`) in libFuzzer's merge mode with
edge coverage only (-use_counters=0) over the inputs in DIR..., reads the edges of
each input from the merge control file, then picks greedily: at each step the input
that adds the most edges not yet covered (the smaller on a tie), up to MAX_FILES or
until nothing adds more. fuzz/corpus/TARGET/ is replaced by the picked inputs (named
by their SHA-1). Prints how many edges the kept corpus covers out of all.

libFuzzer's own -set_cover_merge keeps every input that adds any feature, which for a
target with a JSON or URL grammar is hundreds of files; this keeps the committed
corpus to a few dozen per target, the rest being found again in seconds.
"""

import hashlib
import pathlib
import shutil
import subprocess
import sys
import tempfile

ROOT = pathlib.Path(__file__).resolve().parent


def main():
    target, max_files, dirs = sys.argv[1], int(sys.argv[2]), sys.argv[3:]
    binary = ROOT / "target" / "x86_64-unknown-linux-gnu" / "release" / target
    with tempfile.TemporaryDirectory() as tmp:
        control = pathlib.Path(tmp) / "control"
        empty = pathlib.Path(tmp) / "empty"
        empty.mkdir()
        subprocess.run(
            [str(binary), "-merge=1", f"-merge_control_file={control}", "-use_counters=0",
             "-timeout=10", str(empty), *dirs],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False,
        )
        lines = control.read_text().splitlines()
    count = int(lines[0])
    files = lines[2:2 + count]
    edges = {}
    for line in lines[2 + count:]:
        if line.startswith("FT "):
            _, index, *features = line.split()
            edges[int(index)] = set(map(int, features))
    total = set().union(*edges.values()) if edges else set()

    chosen, covered = [], set()
    candidates = dict(edges)
    while candidates and len(chosen) < max_files:
        best = max(candidates, key=lambda i: (len(candidates[i] - covered),
                                              -pathlib.Path(files[i]).stat().st_size))
        gain = candidates.pop(best) - covered
        if not gain:
            break
        chosen.append(files[best])
        covered |= gain

    out = ROOT / "corpus" / target
    data = [pathlib.Path(f).read_bytes() for f in chosen]
    shutil.rmtree(out, ignore_errors=True)
    out.mkdir(parents=True)
    for d in data:
        (out / hashlib.sha1(d).hexdigest()).write_bytes(d)
    print(f"{target}: kept {len(chosen)} of {len(edges)} inputs, "
          f"covering {len(covered)} of {len(total)} edges")


if __name__ == "__main__":
    main()
