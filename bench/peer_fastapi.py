"""The peer a data scientist would deploy instead of the edge: FastAPI + uvicorn serving the same
Flywheel bundle with numpy. It reads the bundle's manifest (the fitted transform: one-hot with an
unknown slot, fill then standardise) and its tfjs Layers weights, and answers the edge's own
single-row predict request, `POST /v1/models/{name}/predict` with `{"instances": [{...}]}`, in the
edge's own answer shape. Started by bench/edge.bench.ts as `python3 bench/peer_fastapi.py BUNDLE PORT`;
prints `listening` once the socket is bound.
"""
import io
import json
import sys
import zipfile

import numpy as np
import uvicorn
from fastapi import FastAPI, HTTPException, Request

ACTIVATIONS = {
    "linear": lambda x: x,
    "relu": lambda x: np.maximum(x, 0.0),
    "tanh": np.tanh,
    "sigmoid": lambda x: 1.0 / (1.0 + np.exp(-x)),
    "softmax": lambda x: (lambda e: e / e.sum(axis=1, keepdims=True))(np.exp(x - x.max(axis=1, keepdims=True))),
}


def load_bundle(path):
    with zipfile.ZipFile(path) as z:
        manifest = json.loads(z.read("manifest.json"))
        model = json.loads(z.read("model.json"))
        weights = z.read("weights.bin")
    specs = model["weightsManifest"][0]["weights"]
    arrays, offset = {}, 0
    for spec in specs:
        count = int(np.prod(spec["shape"]))
        arrays[spec["name"]] = np.frombuffer(weights, dtype=np.float32, count=count, offset=offset).reshape(spec["shape"])
        offset += 4 * count
    layers = []
    for layer in model["modelTopology"]["config"]["layers"]:
        kind, config = layer["class_name"], layer["config"]
        if kind == "Dense":
            name = config["name"]
            layers.append((arrays[f"{name}/kernel"], arrays[f"{name}/bias"], ACTIVATIONS[config["activation"]]))
        elif kind == "Activation":
            layers.append((None, None, ACTIVATIONS[config["activation"]]))
        # Dropout is the identity at inference.
    return manifest, layers


def encoder(transform):
    """A function from one JSON row to the model's input vector, as core/features encodes it."""
    width = transform["width"]
    steps, col = [], 0
    for f in transform["features"]:
        if f["kind"] == "onehot":
            index = {c: i for i, c in enumerate(f["categories"])}
            steps.append(("onehot", f["name"], col, index, len(f["categories"])))
            col += len(f["categories"]) + 1
        else:
            if f.get("quantiles"):
                raise SystemExit(f'{f["name"]}: the quantile transform is not written here; the bench serves penguins, whose columns are standardised')
            steps.append(("numeric", f["name"], col, f["fill"], f["scaling"]))
            col += 1

    def encode(row):
        x = np.zeros(width, dtype=np.float32)
        for kind, name, at, a, b in steps:
            value = row.get(name)
            if kind == "onehot":
                x[at + a.get(value, b)] = 1.0
            else:
                v = a if value is None else float(value)
                x[at] = (v - b["center"]) / b["scale"] if b else v
        return x

    return encode


def main():
    bundle, port = sys.argv[1], int(sys.argv[2])
    manifest, layers = load_bundle(bundle)
    encode = encoder(manifest["transform"])
    labels = manifest["signature"]["output"].get("labels")
    app = FastAPI()

    @app.post("/v1/models/{name}/predict")
    async def predict(name: str, request: Request):
        body = await request.json()
        instances = body.get("instances") if isinstance(body, dict) else None
        if not isinstance(instances, list) or not instances:
            raise HTTPException(status_code=400, detail="instances: expected a non-empty array")
        x = np.stack([encode(row) for row in instances])
        for kernel, bias, activation in layers:
            x = activation(x if kernel is None else x @ kernel + bias)
        if labels:
            predictions = [
                {"label": labels[int(p.argmax())], "probabilities": {l: float(v) for l, v in zip(labels, p)}} for p in x
            ]
        else:
            predictions = [{"value": float(p[0])} for p in x]
        return {"predictions": predictions, "model_version": 1}

    config = uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", access_log=False)
    server = uvicorn.Server(config)
    print("listening", flush=True)
    server.run()


if __name__ == "__main__":
    main()
