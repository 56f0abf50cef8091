"""Reference values of core/model/class-weights.test.ts from scikit-learn's compute_class_weight.
The key is the constant of core/model/class-weights.reference.ts and has its shape.

Run: /usr/bin/python3 tests/reference/class_weights.py   (needs python3-sklearn, python3-numpy)
"""
import numpy as np
from sklearn.utils.class_weight import compute_class_weight

from common import emit

INPUTS = [
    ([0, 1, 2], [0, 1, 2, 0, 0, 2, 0, 1, 0, 0, 2, 0]),
    ([0, 1, 3], [0] * 9 + [1, 3, 3]),  # label 2 has no rows: sklearn is given only the classes present
]

emit({
    "CLASS_WEIGHT_CASES": [{"classes": classes, "y": y, "weights": compute_class_weight("balanced", classes=np.array(classes), y=np.array(y))}
                           for classes, y in INPUTS],
})
