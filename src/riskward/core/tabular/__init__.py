"""Import and export of registers as CSV and XLSX, shared by the web pages and the CLI.

An app describes a register once as a `TableSpec` (its columns, the field that names a row, and
the services that write it) and registers it from its AppConfig.ready(). Imports are
all-or-nothing: every row goes through the app's own service inside one transaction, every
problem is collected as (row, column, message), and any problem rolls the whole file back.
Exports write the same headers the import reads, so a file can go out and come back.
"""

from riskward.core.tabular.exporting import (
    FORMULA_START,
    XLSX_MIME,
    csv_lines,
    csv_text,
    export_rows,
    neutralise,
    record_export,
    record_rows_export,
    row_values,
    write_xlsx,
)
from riskward.core.tabular.importing import ImportResult, import_table, problem_line
from riskward.core.tabular.reading import MAX_IMPORT_BYTES, Row, Sheet, read_rows
from riskward.core.tabular.spec import (
    LIST_SEPARATOR,
    Column,
    Problem,
    TableSpec,
    describe,
    register_table,
    table,
    table_for_model,
    tables,
)

__all__ = [
    "FORMULA_START",
    "LIST_SEPARATOR",
    "MAX_IMPORT_BYTES",
    "XLSX_MIME",
    "Column",
    "ImportResult",
    "Problem",
    "Row",
    "Sheet",
    "TableSpec",
    "csv_lines",
    "csv_text",
    "describe",
    "export_rows",
    "import_table",
    "neutralise",
    "problem_line",
    "read_rows",
    "record_export",
    "record_rows_export",
    "register_table",
    "row_values",
    "table",
    "table_for_model",
    "tables",
    "write_xlsx",
]
