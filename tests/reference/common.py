"""Printing for the reference scripts: JSON where the non-finite numbers JSON lacks are strings."""
import json
import math
import sys

import numpy as np


def plain(value):
    """Numbers as Python floats and ints (NumPy scalars and arrays unwrapped), ±∞ and NaN as strings."""
    if isinstance(value, dict):
        return {k: plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple, np.ndarray)):
        return [plain(v) for v in value]
    if isinstance(value, (np.integer, int)) and not isinstance(value, bool):
        return int(value)
    if isinstance(value, (np.floating, float)):
        v = float(value)
        if math.isnan(v):
            return "NaN"
        if math.isinf(v):
            return "Infinity" if v > 0 else "-Infinity"
        return v
    return value


def emit(results):
    json.dump(plain(results), sys.stdout, allow_nan=False)
    sys.stdout.write("\n")
