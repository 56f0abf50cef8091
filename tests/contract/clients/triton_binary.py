"""An Open Inference Protocol client that does what tritonclient.http does, byte for byte.

tritonclient cannot be installed here, so this script encodes requests and decodes answers as its
InferInput.set_data_from_numpy(binary_data=...), InferRequestedOutput, InferenceServerClient.infer
and InferResult.as_numpy do (Triton's extension_binary_data.md): JSON made by json.dumps, then each
binary input's raw little-endian bytes (BYTES as a uint32 length and the bytes, serialize_byte_tensor),
the JSON's length in Inference-Header-Content-Length, no content type; errors read from {"error"}.

Usage: triton_binary.py BASE_URL MODEL. Prints one JSON object of results.
"""
import json
import struct
import sys

import numpy as np
import requests

base, model = sys.argv[1], sys.argv[2]

NP_TO_TRITON = {np.dtype(np.float32): "FP32", np.dtype(np.float64): "FP64", np.dtype(np.int64): "INT64", np.dtype(np.object_): "BYTES"}
TRITON_TO_NP = {"FP32": np.float32, "FP64": np.float64, "INT64": np.int64, "BYTES": np.object_}


def serialize_byte_tensor(tensor):
    """tritonclient.utils.serialize_byte_tensor: each element as <I length, then its bytes, row-major."""
    parts = []
    for obj in np.nditer(tensor, flags=["refs_ok"], order="C"):
        item = obj.item()
        s = item if isinstance(item, bytes) else str(item).encode("utf-8")
        parts.append(struct.pack("<I", len(s)))
        parts.append(s)
    return b"".join(parts)


def deserialize_bytes_tensor(buf):
    """tritonclient.utils.deserialize_bytes_tensor."""
    out, at = [], 0
    while at < len(buf):
        (n,) = struct.unpack_from("<I", buf, at)
        at += 4
        out.append(buf[at : at + n])
        at += n
    return np.array(out, dtype=np.object_)


class InferInput:
    def __init__(self, name, shape, datatype):
        self.name, self.shape, self.datatype = name, list(shape), datatype
        self.parameters, self.data, self.raw = {}, None, None

    def set_data_from_numpy(self, tensor, binary_data=True):
        assert NP_TO_TRITON[tensor.dtype] == self.datatype and list(tensor.shape) == self.shape
        if not binary_data:
            self.parameters.pop("binary_data_size", None)
            if self.datatype == "BYTES":
                self.data = [str(o.item(), encoding="utf-8") if isinstance(o.item(), bytes) else str(o.item()) for o in np.nditer(tensor, flags=["refs_ok"], order="C")]
            else:
                self.data = [v.item() for v in tensor.flatten()]
        else:
            self.raw = serialize_byte_tensor(tensor) if self.datatype == "BYTES" else tensor.tobytes()
            self.parameters["binary_data_size"] = len(self.raw)

    def tensor(self):
        t = {"name": self.name, "shape": self.shape, "datatype": self.datatype}
        if self.parameters:
            t["parameters"] = self.parameters
        if self.raw is None and self.data is not None:
            t["data"] = self.data
        return t


def requested_output(name, binary_data=True):
    return {"name": name, "parameters": {"binary_data": binary_data}}


def infer(inputs, outputs=None, request_id=""):
    """InferenceServerClient.infer: the request as _get_inference_request builds it, the answer as InferResult reads it."""
    request, parameters = {}, {}
    if request_id:
        request["id"] = request_id
    request["inputs"] = [i.tensor() for i in inputs]
    if outputs:
        request["outputs"] = outputs
    else:
        parameters["binary_data_output"] = True
    if parameters:
        request["parameters"] = parameters
    body = json.dumps(request)
    headers = {}
    binary = b"".join(i.raw for i in inputs if i.raw is not None)
    if binary:
        headers["Inference-Header-Content-Length"] = str(len(body))
        body = struct.pack("{}s{}s".format(len(body), len(binary)), body.encode(), binary)
    r = requests.post(f"{base}/v2/models/{model}/infer", data=body, headers=headers, timeout=30)
    if r.status_code != 200:
        return {"status": r.status_code, "error": json.loads(r.content)["error"]}
    header_length = r.headers.get("Inference-Header-Content-Length")
    if header_length is None:
        result, buffer = json.loads(r.content), b""
    else:
        result, buffer = json.loads(r.content[: int(header_length)]), r.content[int(header_length) :]
    arrays, at = {}, 0
    for o in result["outputs"]:
        size = (o.get("parameters") or {}).get("binary_data_size")
        if size is not None:
            chunk = buffer[at : at + size]
            at += size
            a = deserialize_bytes_tensor(chunk) if o["datatype"] == "BYTES" else np.frombuffer(chunk, dtype=TRITON_TO_NP[o["datatype"]])
        else:
            a = np.array(o["data"], dtype=TRITON_TO_NP[o["datatype"]])
        arrays[o["name"]] = a.reshape(o["shape"])
    labels = [x.decode("utf-8") if isinstance(x, bytes) else x for x in arrays["label"].flatten()] if "label" in arrays else None
    return {
        "status": 200,
        "content_type": r.headers.get("content-type"),
        "binary": header_length is not None,
        "outputs": [o["name"] for o in result["outputs"]],
        "labels": labels,
        "probabilities": arrays["probabilities"].tolist() if "probabilities" in arrays else None,
        "id": result.get("id"),
        "parameters": result.get("parameters"),
    }


def ready(path):
    return requests.get(f"{base}{path}", timeout=30).status_code == 200


frame = {
    "Island": np.array([[b"Biscoe"], [b"Dream"], [b"Torgersen"]], dtype=np.object_),
    "Beak Length (mm)": np.array([[47.5], [39.0], [38.6]], dtype=np.float32),
    "Beak Depth (mm)": np.array([[14.2], [18.5], [19.1]], dtype=np.float32),
    "Flipper Length (mm)": np.array([[215], [190], [181]], dtype=np.int64),
    "Body Mass (g)": np.array([[5300], [3650], [3750]], dtype=np.float64),
    "Sex": np.array([["MALE"], ["FEMALE"], ["FEMALE"]], dtype=np.object_),
}


def inputs_of(columns, binary_data=True):
    out = []
    for name, a in columns.items():
        i = InferInput(name, a.shape, NP_TO_TRITON[a.dtype])
        i.set_data_from_numpy(a, binary_data=binary_data)
        out.append(i)
    return out


matrix = np.array([[c[r][0] for c in frame.values()] for r in range(3)], dtype=np.object_)
matrix_input = InferInput("input", matrix.shape, "BYTES")
matrix_input.set_data_from_numpy(matrix, binary_data=True)

results = {
    "server_metadata": requests.get(f"{base}/v2", timeout=30).json(),
    "server_ready": ready("/v2/health/ready"),
    "model_ready": ready(f"/v2/models/{model}/ready"),
    "version_ready": ready(f"/v2/models/{model}/versions/1/ready"),
    "missing_version_ready": ready(f"/v2/models/{model}/versions/9/ready"),
    "missing_model_ready": ready("/v2/models/ghost/ready"),
    "binary_default": infer(inputs_of(frame), request_id="py-1"),
    "binary_label_only": infer(inputs_of(frame), outputs=[requested_output("label")]),
    "mixed_outputs": infer(inputs_of(frame), outputs=[requested_output("label", binary_data=False), requested_output("probabilities", binary_data=True)]),
    "json": infer(inputs_of(frame, binary_data=False), outputs=[requested_output("label", binary_data=False), requested_output("probabilities", binary_data=False)]),
    "matrix": infer([matrix_input], outputs=[requested_output("label")]),
    "unknown_output": infer(inputs_of(frame), outputs=[requested_output("output0")]),
    "number_for_category": infer(inputs_of({**frame, "Island": np.array([[1.0], [2.0], [3.0]], dtype=np.float32)})),
}
print(json.dumps(results))
