"""Research files: the column definitions (one table feeds the files, the data dictionary and the
import), the row builders, formula neutralisation, and the streaming writers.

Memory stays flat with the clinic's size: every builder reads the database with
``.iterator(chunk_size=...)`` (related rows prefetched chunk by chunk) and yields one row at a
time; the CSV writer hands each row to the response as it is made, and the workbook is written by
openpyxl's write-only mode into a temporary file, never into memory. Only the summary keeps data
for the whole clinic: one number per measure per visit, to compute the quartiles.

Identified and de-identified files have the same columns in the same order, except:
- the long file's `assessed_on` (a date) becomes `study_day` (days from the programme's start),
  and the wide file's `assessed_on_<timepoint>` become `study_day_<timepoint>`;
- the wide file's `programme_start` (a date) is left out;
- `age` (whole years at the programme's start) is grouped as "90+" from 90.
No file carries a name, date of birth, phone number or free text (notes), identified or not: the
identified files add only the real dates, which the clinic needs to find a visit in its records.
"""

from .cells import neutralise, unneutralise
from .columns import Column
from .files import DATA_KINDS, columns_for, long_columns, rows_for
from .rows import CHUNK
from .writers import csv_lines, dictionary_markdown, filename, xlsx_tempfile

__all__ = [
    "CHUNK",
    "DATA_KINDS",
    "Column",
    "columns_for",
    "csv_lines",
    "dictionary_markdown",
    "filename",
    "long_columns",
    "neutralise",
    "rows_for",
    "unneutralise",
    "xlsx_tempfile",
]
