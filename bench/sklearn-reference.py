"""Reference figures for bench/quality: scikit-learn's default models on the exact matrices Flywheel
learned from and was tested on (same split row indices, same fitted transform). Reads JSON on stdin
({task, width, xTrain, yTrain, xTest, yTest}: xTrain holds Flywheel's training and validation rows,
everything Flywheel learns from), prints JSON {model: {score, seconds}}: accuracy or R² on the test rows."""
import json
import sys
import time
import warnings

import numpy as np
from sklearn.ensemble import (HistGradientBoostingClassifier, HistGradientBoostingRegressor,
                              RandomForestClassifier, RandomForestRegressor)
from sklearn.exceptions import ConvergenceWarning
from sklearn.linear_model import LogisticRegression, Ridge
from sklearn.metrics import accuracy_score, r2_score
from sklearn.neural_network import MLPClassifier, MLPRegressor
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

warnings.filterwarnings("ignore", category=ConvergenceWarning)
job = json.load(sys.stdin)
xtr = np.array(job["xTrain"], dtype=np.float64).reshape(-1, job["width"])
xte = np.array(job["xTest"], dtype=np.float64).reshape(-1, job["width"])
ytr = np.array(job["yTrain"])
yte = np.array(job["yTest"])
classify = job["task"] == "classification"
# Defaults throughout; the only change is LogisticRegression's iteration cap (lbfgs convergence, not a
# model setting). Scaled: the linear models and the MLP get StandardScaler in front, as their docs advise.
models = (
    {
        "linear": make_pipeline(StandardScaler(), LogisticRegression(max_iter=1000)),
        "hgb": HistGradientBoostingClassifier(random_state=0),
        "rf": RandomForestClassifier(random_state=0),
        "mlp": make_pipeline(StandardScaler(), MLPClassifier(random_state=0)),
    }
    if classify
    else {
        "linear": make_pipeline(StandardScaler(), Ridge()),
        "hgb": HistGradientBoostingRegressor(random_state=0),
        "rf": RandomForestRegressor(random_state=0),
        "mlp": make_pipeline(StandardScaler(), MLPRegressor(random_state=0)),
    }
)
metric = accuracy_score if classify else r2_score
out = {}
for name, model in models.items():
    t0 = time.perf_counter()
    model.fit(xtr, ytr)
    out[name] = {"score": float(metric(yte, model.predict(xte))), "seconds": time.perf_counter() - t0}
print(json.dumps(out))
