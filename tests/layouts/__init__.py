"""Type a tidy data set the way ward and commune offices type their forms: a corpus generator.

A `TidyData` is what the reader must give back: form 01 counts per unit and year (None is a
missing value) and the form 02 models. A `Layout` says how an office typed it (layouts.layout
lists every variation): title rows, one to three header rows with merges, shuffled columns,
header aliases, percent columns, column-number rows, totals and group subtotals, notes and
signatures, numbers typed as text, unit names spelled every accepted way, a file or a sheet per
year, a file per unit, years across columns, hidden rows, columns and sheets, as-of days, and the
register's own: totals lines of several texts and a formula, groups by sector with their
subtotals, a unit typed once and merged down, a register per unit; xlsx or csv.
`write_dataset(folder, data, layout, period)` writes the files; `tidy_data()` and `layouts()` are
the hypothesis strategies.

Every value written is derived from the tidy data (totals are the sums of the units, percents
the half-up rounding of the recomputed rate), so whatever the reader returns can be compared
with the tidy data alone. The layout itself never changes a value. Every typed cell carries the
role the reader's ledger must give it (`Sheet.roles`).
"""

from layouts.data import Model, TidyData, tidy_data
from layouts.files import (
    books,
    expected_as_of,
    to_cp1258,
    typed_percents,
    typed_totals,
    write_books,
    write_dataset,
)
from layouts.layout import Layout, consistent, layouts

__all__ = ["Layout", "Model", "TidyData", "books", "consistent", "expected_as_of", "layouts", "tidy_data",
           "to_cp1258", "typed_percents", "typed_totals", "write_books", "write_dataset"]
