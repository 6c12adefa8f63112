"""Summarise one run of the pipeline in a clone: gate decision, reasons, every check's status.

usage: python summarise.py CLONE_DIR  (prints to stdout)
"""

import json
import sys
from pathlib import Path

clone = Path(sys.argv[1])
checks = json.loads((clone / "reports/checks.json").read_text())
gate = json.loads((clone / "reports/gate.json").read_text())
print(f"decision: {gate['decision']}  counts: {gate['counts']}")
for reason in gate.get("reasons", []):
    print(f"  reason: {reason}")
print("checks (status, required, id, summary):")
for r in checks["results"]:
    req = "req" if r.get("required") else "opt"
    print(f"  {r['status']:5} {req} {r['id']}: {r['summary']}")
metrics = clone / "reports/metrics.json"
if metrics.exists():
    m = json.loads(metrics.read_text())
    flat = {k: v for k, v in m.items() if isinstance(v, (int, float))}
    print(f"metrics: {flat}")
