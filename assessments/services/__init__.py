"""Writes to assessment visits, one module per subject; import them from here
(`from assessments import services`). Views, the demo and imports call these; nothing else
writes visits."""

from .export_log import export_log_finish, export_log_start
from .visits import UNCHANGED, visit_record, visit_update
from .visits_import import IMPORTED_NAME, IMPORTED_PROGRAMME_NAME, visits_import

__all__ = [
    "IMPORTED_NAME",
    "IMPORTED_PROGRAMME_NAME",
    "UNCHANGED",
    "export_log_finish",
    "export_log_start",
    "visit_record",
    "visit_update",
    "visits_import",
]
