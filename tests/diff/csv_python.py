#!/usr/bin/env python3
"""Differential test: duiding's CSV reader (through tests/tools/csv_dump) against Python's csv
module, over every file in fuzz/corpus/csv/ and a few hundred generated CSV files.

usage: csv_python.py CSV_DUMP CORPUS_DIR [N_GENERATED]

Python reads each file the way duiding does: UTF-8 (BOM stripped) when the bytes are valid
UTF-8 or start with a BOM, otherwise Windows-1252 with its five undefined bytes as U+FFFD;
csv.reader(newline='', delimiter=<the one duiding sniffed>, strict=True).

When neither side flags the file, the records (fields and start lines) must be identical.
A file that Python flags as malformed must be flagged by duiding too, and then the records
before the first flagged one must agree. Deliberate differences, where only duiding flags:
  - a quote inside an unquoted field (`a"b`, ` "x"`): Python keeps it as data, even in strict
    mode; duiding keeps it too but marks the record (problem "aanhalingsteken midden ...");
  - a NUL byte: Python 3.11 accepts it; duiding marks the record (NUL-terminated C strings);
  - invalid UTF-8 in a file with a UTF-8 BOM: Python's csv does not validate text; duiding
    marks the record (the field bytes still match, compared via surrogateescape).
In those cases the records must still be identical.
Physically empty lines: Python yields [], duiding skips them; both count them as lines.
"""
import csv
import io
import json
import os
import random
import subprocess
import sys
import tempfile

csv.field_size_limit(1024 * 1024)  # TABLE_MAX_FIELD

ONLY_OURS = ("aanhalingsteken midden", "NUL-teken", "UTF-8")


def decode_like_duiding(raw):
    if raw.startswith(b"\xef\xbb\xbf"):
        return raw[3:].decode("utf-8", errors="surrogateescape")
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return raw.decode("cp1252", errors="replace")


def python_records(raw, delim):
    """[(start_line, fields)], index of the record where Python failed (or None)."""
    text = decode_like_duiding(raw)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delim, strict=True)
    out = []
    prev_line = 0
    while True:
        try:
            row = next(reader)
        except StopIteration:
            return out, None
        except csv.Error:
            return out, len(out)
        if row:
            out.append((prev_line + 1, row))
        prev_line = reader.line_num


def our_records(dump, path):
    res = subprocess.run([dump, path], capture_output=True, timeout=60)
    if res.returncode != 0:
        raise RuntimeError(f"csv_dump failed ({res.returncode}): {res.stderr.decode(errors='replace')}")
    lines = res.stdout.decode("utf-8").splitlines()
    head = json.loads(lines[0])
    recs, flagged, only_ours, error = [], None, True, None
    for ln in lines[1:]:
        obj = json.loads(ln)
        if "record" in obj:
            if obj.get("problem") and flagged is None:
                flagged = len(recs)
            if obj.get("problem") and not any(s in obj["problem"] for s in ONLY_OURS):
                only_ours = False
            recs.append((obj["line"], obj["fields"]))
        elif "error" in obj:
            error = obj
            if flagged is None:
                flagged = len(recs)
            only_ours = False
    return head, recs, flagged, only_ours, error


def compare(dump, path):
    """(difference or None, category)."""
    raw = open(path, "rb").read()
    head, ours, our_flag, only_ours, error = our_records(dump, path)
    delim = head["delimiter"]
    theirs, py_flag = python_records(raw, delim)
    if py_flag is not None and our_flag is None:
        return f"Python flags record {py_flag + 1}, duiding reads the file cleanly", None
    if our_flag is not None and py_flag is None and not only_ours:
        return f"duiding flags record {our_flag + 1} ({error}), Python reads it cleanly", None
    if our_flag is None or py_flag is None:
        category = "clean" if our_flag is None else "only duiding (documented)"
        if ours != theirs:
            for i, (a, b) in enumerate(zip(ours, theirs)):
                if a != b:
                    return f"record {i + 1}: duiding {a!r} python {b!r}", None
            return f"{len(ours)} records from duiding, {len(theirs)} from Python", None
        return None, category
    n = min(our_flag, py_flag)
    if ours[:n] != theirs[:n]:
        return f"records before the first flagged one differ (first {n})", None
    return None, "both flagged"


WORDS = ["Jansen", "de Vries", "1,50", "12,75", "01-02-2024", "2024-12-31", "René", "Fryslân",
         "€ 12", "“smart”", "naïef", "😀", "中文", "", " ", "x", "GM0114", "45A12", "a b c"]


def gen_field(rng, delim):
    k = rng.random()
    if k < 0.55:
        return rng.choice(WORDS)
    if k < 0.7:
        return rng.choice(WORDS) + delim + rng.choice(WORDS)
    if k < 0.8:
        return 'zegt "hallo" ' + rng.choice(WORDS)
    if k < 0.9:
        return rng.choice(WORDS) + rng.choice(["\n", "\r\n", "\r"]) + rng.choice(WORDS)
    return "".join(rng.choice(",;\t\"' x\n") for _ in range(rng.randint(0, 6)))


def gen_file(rng):
    delim = rng.choice([",", ";", "\t"])
    eol = rng.choice(["\n", "\r\n", "\r"])
    ncols = rng.randint(1, 8)
    buf = io.StringIO()
    w = csv.writer(buf, delimiter=delim, lineterminator=eol,
                   quoting=rng.choice([csv.QUOTE_MINIMAL, csv.QUOTE_MINIMAL, csv.QUOTE_ALL]))
    if rng.random() < 0.2:
        buf.write("Titel van de export" + eol + eol)
    for _ in range(rng.randint(0, 40)):
        if rng.random() < 0.05:
            buf.write(eol)
            continue
        cols = ncols if rng.random() < 0.9 else rng.randint(1, ncols + 2)
        w.writerow([gen_field(rng, delim) for _ in range(cols)])
    text = buf.getvalue()
    if text and rng.random() < 0.3:
        text = text[: -len(eol)]  # no final line end
    enc = rng.random()
    if enc < 0.15:
        data = text.encode("cp1252", errors="replace")
    elif enc < 0.3:
        data = b"\xef\xbb\xbf" + text.encode("utf-8")
    else:
        data = text.encode("utf-8")
    if data and rng.random() < 0.3:  # hostile: one byte-level mutation
        pos = rng.randrange(len(data) + 1)
        ins = rng.choice([b'"', b'"', b"x", b"\x00", b"\r", b"\n", delim.encode(), b"\xff", b'""'])
        if rng.random() < 0.5:
            data = data[:pos] + ins + data[pos:]
        else:
            data = data[:pos] + data[pos + 1:]
    return data


def main():
    if len(sys.argv) < 3:
        print(__doc__)
        return 2
    dump, corpus = sys.argv[1], sys.argv[2]
    n_gen = int(sys.argv[3]) if len(sys.argv) > 3 else 400
    files = sorted(os.path.join(corpus, f) for f in os.listdir(corpus))
    failures = 0
    stats = {"clean": 0, "both flagged": 0, "only duiding (documented)": 0}
    with tempfile.TemporaryDirectory() as tmp:
        rng = random.Random(20240601)
        for i in range(n_gen):
            p = os.path.join(tmp, f"gen-{i:04d}.csv")
            with open(p, "wb") as f:
                f.write(gen_file(rng))
            files.append(p)
        for p in files:
            try:
                diff, category = compare(dump, p)
            except Exception as ex:  # noqa: BLE001 - report and go on
                diff = f"exception {ex!r}"
            if diff:
                failures += 1
                shown = open(p, "rb").read()[:300]
                print(f"FAIL {os.path.basename(p)}: {diff}\n  input: {shown!r}")
            else:
                stats[category] += 1
    print(f"{len(files)} files: {stats}, {failures} differences")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
