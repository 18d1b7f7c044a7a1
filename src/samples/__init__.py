"""The sample forms: Excel workbooks typed the way ward and commune offices type them.

Not a stage of the product (`analysis` never imports it; only its `sample-data` command does,
lazily): a generator that writes the forms a city's offices would send, from the numbers in the
data files beside it (samples/data: the city totals per year, the published ones it reproduces,
each unit's size and spelling, the models built per year, the imperfections planted on purpose).
The units, their map per year, the fields and their headers come from data/reference through
`analysis` (reference, maps, vocabulary), like every other part of the project.

`write_sample_data(out_dir)` writes the bundled set (data/raw: form 01 per year and the register,
three_years.yaml); `write_sample_data(out_dir, period=…)` with the five-year set's period
(five_years.yaml) writes that set, whose last year is on the map of units after the
reorganisation (data/reference/units.csv, crosswalk.csv). Deterministic: fixed seeds, fixed document
properties and zip timestamps give the same bytes on every run (data/reference/sample_inputs.sha256
holds the bundled ones). `install_sample_data` never replaces a form that differs from the sample.
`PLANTED_FINDINGS` are the cells `python -m analysis validate` must warn about.

Modules: settings (reads samples/data), units (a year's map with the sample's sizes and
spellings), split (city totals into whole numbers per unit), workbook (styles, title rows, the
deterministic save), form01, register (form 02), planted, sets (the two sets), install.
"""

from samples.install import install_sample_data, write_sample_data
from samples.planted import PlantedFinding, planted_findings
from samples.sets import check_sample_period, periods

PLANTED_FINDINGS = planted_findings()

__all__ = ["PLANTED_FINDINGS", "PlantedFinding", "check_sample_period", "install_sample_data", "periods",
           "planted_findings", "write_sample_data"]
