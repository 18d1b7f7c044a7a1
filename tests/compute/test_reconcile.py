from analysis.compute.reconcile import classify


def test_classification():
    assert classify(98.8, 98.8121, 1) == "match"
    assert classify(98.9, 98.9749, 1) == "rounding"  # truncated instead of rounded
    assert classify(74, 73.98, 0) == "match"
    assert classify(12291, 12290, 0) == "mismatch"
    assert classify(98.5, None, 1) == "mismatch"
