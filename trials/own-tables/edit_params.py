"""Set keys in a params.yaml, keeping its comments: edit.py FILE dotted.key=YAML_VALUE ...

A value of `!delete` removes the key. Prints each change as old -> new.
"""

import sys
from io import StringIO

from ruamel.yaml import YAML

yaml = YAML()
yaml.preserve_quotes = True
path = sys.argv[1]
with open(path) as f:
    doc = yaml.load(f)
for arg in sys.argv[2:]:
    key, _, raw = arg.partition("=")
    parts = key.split(".")
    node = doc
    for p in parts[:-1]:
        node = node[p]
    old = node.get(parts[-1], "<absent>")
    if raw == "!delete":
        node.pop(parts[-1], None)
        new = "<deleted>"
    else:
        new = YAML(typ="safe").load(StringIO(raw))
        node[parts[-1]] = new
    print(f"  edit {key}: {old!r} -> {new!r}")
with open(path, "w") as f:
    yaml.dump(doc, f)
