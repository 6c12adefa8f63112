"""The project around the code: its params, pipeline and lock file, and what git may hold.

``params.yaml`` and ``dvc.yaml`` checked against each other, ``dvc.lock`` against the params,
files kept out of git, and ``mlgate init`` pointing the template at a new table.
"""
