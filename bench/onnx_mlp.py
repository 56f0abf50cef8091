"""Writes a Dense MLP as an ONNX model, for the inference bench's onnxruntime-node peer.

Usage: onnx_mlp.py SPEC.json OUT.onnx, where SPEC.json is {"dims": [in, h1, ..., out],
"output": "linear" | "softmax", "layers": [{"kernel": [...], "bias": [...]}, ...]} with each
kernel row-major [in, out], exactly the weights tfjs holds. Hidden layers are ReLU. The batch
dimension is symbolic, so one model serves single rows and batches. Needs Debian's python3-onnx.
"""

import json
import sys

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper


def main(spec_path: str, out_path: str) -> None:
    with open(spec_path) as f:
        spec = json.load(f)
    dims = spec["dims"]
    nodes, inits = [], []
    current = "x"
    for i, layer in enumerate(spec["layers"]):
        kernel = np.asarray(layer["kernel"], dtype=np.float32).reshape(dims[i], dims[i + 1])
        bias = np.asarray(layer["bias"], dtype=np.float32)
        inits += [numpy_helper.from_array(kernel, f"w{i}"), numpy_helper.from_array(bias, f"b{i}")]
        last = i == len(spec["layers"]) - 1
        # Gemm is MatMul + Add in one op, as converters from Keras and PyTorch emit for Dense/Linear.
        gemm_out = "y" if last and spec["output"] == "linear" else f"g{i}"
        nodes.append(helper.make_node("Gemm", [current, f"w{i}", f"b{i}"], [gemm_out]))
        if not last:
            nodes.append(helper.make_node("Relu", [gemm_out], [f"r{i}"]))
            current = f"r{i}"
        elif spec["output"] == "softmax":
            nodes.append(helper.make_node("Softmax", [gemm_out], ["y"], axis=-1))
    graph = helper.make_graph(
        nodes,
        "mlp",
        [helper.make_tensor_value_info("x", TensorProto.FLOAT, ["n", dims[0]])],
        [helper.make_tensor_value_info("y", TensorProto.FLOAT, ["n", dims[-1]])],
        inits,
    )
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)])
    # onnxruntime 1.2x reads IR version 8 (what opset 13 models carry) and newer.
    model.ir_version = 8
    onnx.checker.check_model(model)
    onnx.save(model, out_path)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
