"""``python -m mlgate``: the same as the ``mlgate`` command."""

from mlgate.cli import main

main()
