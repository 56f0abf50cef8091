"""Reference figures for bench/quality: scikit-learn's MLP and linear models on the exact matrices
Flywheel trained and tested on (same split, same fitted transform). Reads JSON on stdin, prints JSON."""
import json
import sys

import numpy as np
from sklearn.linear_model import LogisticRegression, Ridge
from sklearn.metrics import accuracy_score, r2_score
from sklearn.neural_network import MLPClassifier, MLPRegressor

job = json.load(sys.stdin)
xtr = np.array(job["xTrain"]).reshape(-1, job["width"])
xte = np.array(job["xTest"]).reshape(-1, job["width"])
ytr = np.array(job["yTrain"])
yte = np.array(job["yTest"])
out = {}
if job["task"] == "classification":
    mlp = MLPClassifier(hidden_layer_sizes=(64, 32), early_stopping=True, max_iter=1000, random_state=42)
    out["mlp"] = accuracy_score(yte, mlp.fit(xtr, ytr).predict(xte))
    out["linear"] = accuracy_score(yte, LogisticRegression(max_iter=2000).fit(xtr, ytr).predict(xte))
else:
    mean, std = ytr.mean(), ytr.std() or 1.0
    mlp = MLPRegressor(hidden_layer_sizes=(64, 32), early_stopping=True, max_iter=2000, random_state=42)
    out["mlp"] = r2_score(yte, mlp.fit(xtr, (ytr - mean) / std).predict(xte) * std + mean)
    out["linear"] = r2_score(yte, Ridge(alpha=1e-3).fit(xtr, ytr).predict(xte))
print(json.dumps(out))
