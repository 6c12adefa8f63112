"""Where :class:`~mlgate.model.mitigation.MitigatedModel` lived in mlgate 0.1.0.

A saved model names each of its classes by import path, so models saved by 0.1.0 name this module.
It stays importable, and that one path stays on the allow-list (:mod:`mlgate.model.trusted`), so
those models still load. New code imports :mod:`mlgate.model.mitigation`.
"""

from mlgate.model.mitigation import MitigatedModel

__all__ = ["MitigatedModel"]
