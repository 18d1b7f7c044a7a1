"""One validation of a synthetic set, as its own process (so time and memory are its own):
`python -m bench.validate_run FOLDER UNITS [MODELS]`."""

import sys
from pathlib import Path

from analysis.dataset import load_dataset

from bench.synthetic import PERIOD, units

if __name__ == "__main__":
    folder, count = Path(sys.argv[1]), int(sys.argv[2])
    expected_models = int(sys.argv[3]) if len(sys.argv) > 3 else None
    dataset = load_dataset(folder, PERIOD, units=units(count))
    rows = len(dataset.form01)
    assert rows == count * 5, rows
    assert dataset.errors.empty, dataset.errors["message"].head().tolist()
    if expected_models is not None:
        assert len(dataset.models) == expected_models, len(dataset.models)
    print(rows, len(dataset.models), len(dataset.findings))
