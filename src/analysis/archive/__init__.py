"""Issued reports: what an office signed, kept with what it was made from, and what changed since.

* `issued`: the folder of each issued report under `<out>/da-ban-hanh/<number>/`, written once and
  never over (staged, then renamed into place), and the register `so-dang-ky.csv` beside them.
* `cells`: the form cells that differ between two folders of forms (file › sheet › cell).
* `versions`: a version to compare (an issued number or folder, or the current draft).
* `revision`: the hook `report` calls for every report it makes: compared with the last issued
  report of the same period, unit and map, the companion and the email say what changed.

Nothing here is imported by the signed report's writers: the check material goes to the
companion file and to the archive.
"""
