"""Writes scikit-learn's bundled tabular datasets (shipped in the package: no download) as CSV files
for bench/quality. Usage: sklearn-datasets.py OUT_DIR. Prints JSON: [{name, file, target}]."""
import json
import os
import sys

from sklearn import datasets

out_dir = sys.argv[1]
os.makedirs(out_dir, exist_ok=True)
written = []
for name, loader in [
    ("iris", datasets.load_iris),
    ("wine", datasets.load_wine),
    ("breast_cancer", datasets.load_breast_cancer),
    ("digits", datasets.load_digits),
    ("diabetes", datasets.load_diabetes),
]:
    frame = loader(as_frame=True).frame
    bunch = loader()
    names = getattr(bunch, "target_names", None)
    if names is not None and name != "digits":
        # Class labels as their names, so the pipeline reads the target as classes.
        frame["target"] = [str(names[i]) for i in frame["target"]]
    elif name == "digits":
        frame["target"] = [f"digit {i}" for i in frame["target"]]
    file = os.path.join(out_dir, f"{name}.csv")
    frame.to_csv(file, index=False)
    written.append({"name": name, "file": file, "target": "target"})
print(json.dumps(written))
