"""Look for a table's personal values (a names/id column) in everything a run wrote.

usage: python leakcheck.py CLONE_DIR CSV COLUMN
Searches reports/, models/, data/ingested/, data/prepared/, dvc.lock and params.yaml: parquet
files are read and searched as text, zip files (skops) member by member, anything else as bytes.
Prints each file that holds a value, with up to 3 of the values found.
"""

import io
import re
import sys
import zipfile
from pathlib import Path

import pandas as pd

clone, csv, column = Path(sys.argv[1]), sys.argv[2], sys.argv[3]
values = pd.read_csv(csv, dtype=str, keep_default_na=False)[column]
needles = set()
for v in values:
    v = v.strip()
    if len(v) >= 6 and not v.replace(".", "").isdigit():
        needles.add(v)
        # "Allen, Miss. Elisabeth Walton" -> also "Elisabeth Walton"
        m = re.match(r"^[^,]+,\s*[A-Za-z ]+\.\s*(.+)$", v)
        if m and len(m.group(1)) >= 8:
            needles.add(m.group(1).split("(")[0].strip())
needles = sorted(n for n in needles if len(n) >= 6)
print(f"{len(needles)} distinct personal strings from {column!r} (e.g. {needles[:3]})")
if not needles:
    print("nothing to search for (numeric ids only)")
    sys.exit(0)
pattern = re.compile("|".join(re.escape(n) for n in sorted(needles, key=len, reverse=True)))


def text_of(path: Path) -> str:
    """A file's text: a parquet table as CSV, a zip (skops) member by member, else its bytes."""
    if path.suffix == ".parquet":
        df = pd.read_parquet(path)
        return " ".join(map(str, df.columns)) + "\n" + df.to_csv(index=False)
    data = path.read_bytes()
    if zipfile.is_zipfile(io.BytesIO(data)):
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            return "\n".join(z.read(n).decode("latin-1") for n in z.namelist())
    return data.decode("utf-8", errors="replace")


roots = ["reports", "models", "data/ingested", "data/prepared", "data/incoming"]
files = [p for r in roots for p in (clone / r).rglob("*") if p.is_file()]
files += [clone / "dvc.lock", clone / "params.yaml"]
hits = 0
for f in files:
    try:
        found = sorted(set(pattern.findall(text_of(f))))
    except Exception as exc:
        print(f"  (could not read {f.relative_to(clone)}: {exc})")
        continue
    if found:
        hits += 1
        print(f"  LEAK {f.relative_to(clone)}: {len(found)} values, e.g. {found[:3]}")
print(f"{hits} of {len(files)} files hold a personal value")
