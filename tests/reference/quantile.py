"""Reference values of core/features/quantile-map.test.ts: SciPy's normal quantile and skewness, and
scikit-learn's QuantileTransformer(output_distribution="normal") with as many quantiles as rows.
The keys are the constants of core/features/quantile-map.reference.ts and have their shapes.

Run: /usr/bin/python3 tests/reference/quantile.py   (needs python3-sklearn, python3-scipy, python3-numpy)
"""
import numpy as np
from scipy.stats import norm, skew
from sklearn.preprocessing import QuantileTransformer

from common import emit

PROBABILITIES = [1e-7, 1e-5, 0.001, 0.02, 0.1, 0.3, 0.425, 0.5, 0.575, 0.6, 0.9, 0.975, 0.999, 0.99999, 1 - 1e-7]
# A skewed column (rain-like), its interior tie at 2, and values inside, on and outside its range.
COLUMN = [0.5, 0.75, 1, 2, 2, 2, 3.5, 6, 11, 40]
VALUES = [-3, 0.5, 0.6, 1, 1.5, 2, 2.2, 5, 10, 39, 40, 100]

transformer = QuantileTransformer(n_quantiles=len(COLUMN), output_distribution="normal").fit(np.array(COLUMN).reshape(-1, 1))
emit({
    "NORMAL_QUANTILE_CASES": [{"p": p, "z": norm.ppf(p)} for p in PROBABILITIES],
    "QUANTILE_TRANSFORM_CASE": {
        "column": COLUMN,
        "values": VALUES,
        "normal": transformer.transform(np.array(VALUES).reshape(-1, 1)).ravel(),
    },
    "SKEWNESS_CASES": [{"values": v, "skewness": skew(v)} for v in [COLUMN, [1, 2, 3, 4, 5], [5, 5, 5, 1]]],
})
