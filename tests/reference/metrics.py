"""Reference values of the metrics tests (core/metrics/*.test.ts) from scikit-learn. Each key is a
constant of a fixture module core/metrics/<name>.reference.ts and has its shape.

Run: /usr/bin/python3 tests/reference/metrics.py   (needs python3-sklearn, python3-numpy)
"""
import math
import warnings

import numpy as np
from sklearn import metrics

from common import emit

warnings.simplefilter("ignore")  # sklearn warns on undefined metrics; the fixtures hold null for those


def formula_binary():
    """Twin of formulaBinary in core/metrics/classification.reference.ts."""
    y_true = [1 if (i * 7) % 5 < 2 else 0 for i in range(200)]
    proba = []
    for i, y in enumerate(y_true):
        s = ((i * 13 + y * 3) % 9) / 8
        proba.append([1 - s, s])
    return y_true, proba


def formula_four_classes():
    """Twin of formulaFourClasses in core/metrics/classification.reference.ts."""
    y_true = [(i * 5 + i // 7) % 4 for i in range(90)]
    proba = []
    for i, y in enumerate(y_true):
        raw = [((i * (j + 3) * 7 + j * 5 + (4 if j == y else 0)) % 10) + 1 for j in range(4)]
        total = sum(raw)
        proba.append([r / total for r in raw])
    return y_true, proba


CLASSIFICATION_INPUTS = [
    ("binary with tied scores across classes", [0, 0, 1, 1, 0, 1, 0, 1, 1, 0],
     [[0.9, 0.1], [0.6, 0.4], [0.65, 0.35], [0.2, 0.8], [0.6, 0.4], [0.6, 0.4], [0.8, 0.2], [0.1, 0.9], [0.4, 0.6], [0.3, 0.7]]),
    ("three classes, class 2 never predicted, an argmax tie", [0, 1, 2, 2, 0, 1, 2, 0, 1, 1, 2, 0],
     [[0.7, 0.2, 0.1], [0.1, 0.6, 0.3], [0.3, 0.4, 0.3], [0.5, 0.2, 0.3], [0.4, 0.4, 0.2], [0.2, 0.5, 0.3],
      [0.1, 0.5, 0.4], [0.6, 0.3, 0.1], [0.3, 0.3, 0.4], [0.2, 0.7, 0.1], [0.45, 0.1, 0.45], [0.5, 0.25, 0.25]]),
    ("four classes, class 3 absent from y_true but predicted, probabilities of exactly 0 and 1", [0, 1, 2, 0, 1, 2, 0, 1],
     [[1, 0, 0, 0], [0.1, 0.2, 0.3, 0.4], [0.2, 0.2, 0.5, 0.1], [0.25, 0.25, 0.25, 0.25], [0, 1, 0, 0],
      [0.3, 0.3, 0.3, 0.1], [0.1, 0.6, 0.2, 0.1], [0, 0.5, 0, 0.5]]),
    ("binary with one class only in y_true", [1, 1, 1], [[0.2, 0.8], [0.6, 0.4], [0.5, 0.5]]),
    ("binary, 200 rows, 9 distinct scores (heavy ties), scores of exactly 0 and 1", *formula_binary()),
    ("four classes, 90 rows, float32 probabilities with ties", *formula_four_classes()),
]


def or_null(compute):
    """The value, or None where sklearn refuses (raises) or gives NaN."""
    try:
        value = compute()
    except ValueError:
        return None
    return None if math.isnan(value) else value


def classification_case(name, y_true, proba_rows):
    y = np.array(y_true)
    proba = np.array(proba_rows, dtype=np.float32)  # the model's output type, as the test passes it
    k = proba.shape[1]
    labels = list(range(k))
    pred = proba.argmax(1)
    averaged = {f"{metric}_{average}": getattr(metrics, f"{metric}_score")(y, pred, labels=labels, average=average, zero_division=0)
                for average in ("macro", "weighted") for metric in ("precision", "recall", "f1")}
    auc = (lambda: metrics.roc_auc_score(y, proba[:, 1])) if k == 2 else (lambda: metrics.roc_auc_score(y, proba, multi_class="ovr", average="macro"))
    values = {
        "accuracy": metrics.accuracy_score(y, pred),
        "balanced_accuracy": metrics.balanced_accuracy_score(y, pred),
        **{key: averaged[key] for key in ("precision_macro", "recall_macro", "f1_macro", "precision_weighted", "recall_weighted", "f1_weighted")},
        "roc_auc": or_null(auc),
        "log_loss": or_null(lambda: metrics.log_loss(y, proba.astype(np.float64), labels=labels)),
    }
    p, r, f, s = metrics.precision_recall_fscore_support(y, pred, labels=labels, average=None, zero_division=0)
    return {
        "name": name,
        "yTrue": y_true,
        "proba": proba_rows,
        "values": values,
        "confusion": metrics.confusion_matrix(y, pred, labels=labels),
        "perClass": [[p[j], r[j], f[j], s[j]] for j in range(k)],
    }


def regression_values(y_true, y_pred):
    return {
        "mae": metrics.mean_absolute_error(y_true, y_pred),
        "rmse": metrics.mean_squared_error(y_true, y_pred, squared=False),
        "r2": or_null(lambda: metrics.r2_score(y_true, y_pred)),
        "mape": metrics.mean_absolute_percentage_error(y_true, y_pred),
        "max_error": metrics.max_error(y_true, y_pred),
        "explained_variance": metrics.explained_variance_score(y_true, y_pred),
    }


REGRESSION_INPUTS = [
    ("a zero in y_true (MAPE divides by float64 eps)", [3, -0.5, 2, 7, 4.25, 0], [2.5, 0, 2, 8, 4, 0.1]),
    ("constant y_true, imperfect prediction (R² and explained variance forced to 0)", [2, 2, 2], [2, 2.5, 1]),
    ("constant y_true, perfect prediction (forced to 1)", [2, 2, 2], [2, 2, 2]),
    ("one row (sklearn: R² is NaN with a warning)", [5], [4]),
]

ROC_AUC_INPUTS = [
    ([0, 0, 1, 1, 1], [0.3, 0.3, 0.3, 0.7, 0.1]),
    ([0, 1, 0, 1], [0.5, 0.5, 0.5, 0.5]),
    ([1, 0, 1, 0, 1, 0], [0.9, 0.8, 0.8, 0.1, 0.8, 0.8]),
]


def slices_reference():
    """The per-slice values cited in core/metrics/slices.test.ts."""
    y_true = [0, 0, 1, 1, 0, 1, 0, 1, 1, 0]
    scores = [0.1, 0.4, 0.35, 0.8, 0.4, 0.4, 0.2, 0.9, 0.6, 0.7]
    region = [0, 1, 0, -1, 1, 0, 1, -1, 0, 1]
    north = [i for i, g in enumerate(region) if g == 0]
    proba = np.array([[1 - s, s] for s in scores], dtype=np.float32).astype(np.float64)
    groups, y, y_pred = [0, 1, 0, 1, 0], [1, 2, 4, 5, 7], [1.5, 2, 4, 5.5, 6]
    return {
        "yTrue": y_true,
        "scores": scores,
        "region": region,
        "northLogLoss": metrics.log_loss([y_true[i] for i in north], proba[north], labels=[0, 1]),
        "regression": {
            "groups": groups,
            "yTrue": y,
            "yPred": y_pred,
            "mae": [metrics.mean_absolute_error([y[i] for i, g in enumerate(groups) if g == c], [y_pred[i] for i, g in enumerate(groups) if g == c])
                    for c in (0, 1)],
        },
    }


def main():
    widened_true, widened_pred = [1.1, 2.2, 3.3, 4.4], [1, 2.5, 3, 4.9]
    emit({
        "CLASSIFICATION_CASES": [classification_case(*case) for case in CLASSIFICATION_INPUTS],
        "ROC_AUC_CASES": [{"y": y, "s": s, "auc": metrics.roc_auc_score(y, s)} for y, s in ROC_AUC_INPUTS],
        "REGRESSION_CASES": [{"name": name, "yTrue": t, "yPred": p, "values": regression_values(np.array(t, dtype=np.float64), np.array(p, dtype=np.float64))}
                             for name, t, p in REGRESSION_INPUTS],
        "REGRESSION_FLOAT32_CASE": {
            "yTrue": widened_true,
            "yPred": widened_pred,
            "values": regression_values(np.array(widened_true, dtype=np.float32).astype(np.float64), np.array(widened_pred, dtype=np.float32).astype(np.float64)),
        },
        "SLICES_REFERENCE": slices_reference(),
    })


if __name__ == "__main__":
    main()
