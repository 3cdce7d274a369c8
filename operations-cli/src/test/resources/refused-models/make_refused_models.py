"""Writes the two small models `ModelBundleCommandTest` expects `model bundle` to refuse:

- two_float_outputs.onnx: input [N, 26]; outputs `a` and `b`, both float [N, 2]: either could hold
  the probabilities, so the output must be named;
- margin.onnx: input [N, 26]; output `margin` [N, 1], the sum of the row's features: not a
  probability (a model exported without its sigmoid).

    python3 make_refused_models.py DIRECTORY   # onnx==1.23.1
"""
import sys

import onnx
from onnx import TensorProto, helper

WIDTH = 26


def save(graph, path):
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)], producer_name="riskstream tests")
    model.ir_version = 8
    onnx.checker.check_model(model)
    onnx.save(model, path)


def two_float_outputs(directory):
    rows = helper.make_tensor_value_info("input", TensorProto.FLOAT, [None, WIDTH])
    nodes = [
        helper.make_node("Constant", [], ["starts"], value=helper.make_tensor("s", TensorProto.INT64, [1], [0])),
        helper.make_node("Constant", [], ["ends"], value=helper.make_tensor("e", TensorProto.INT64, [1], [2])),
        helper.make_node("Constant", [], ["axes"], value=helper.make_tensor("x", TensorProto.INT64, [1], [1])),
        helper.make_node("Slice", ["input", "starts", "ends", "axes"], ["sliced"]),
        helper.make_node("Softmax", ["sliced"], ["a"], axis=1),
        helper.make_node("Identity", ["a"], ["b"]),
    ]
    outputs = [helper.make_tensor_value_info(name, TensorProto.FLOAT, [None, 2]) for name in ("a", "b")]
    save(helper.make_graph(nodes, "two_float_outputs", [rows], outputs), f"{directory}/two_float_outputs.onnx")


def margin(directory):
    rows = helper.make_tensor_value_info("input", TensorProto.FLOAT, [None, WIDTH])
    nodes = [
        helper.make_node("Constant", [], ["axes"], value=helper.make_tensor("x", TensorProto.INT64, [1], [1])),
        helper.make_node("ReduceSum", ["input", "axes"], ["margin"], keepdims=1),
    ]
    output = helper.make_tensor_value_info("margin", TensorProto.FLOAT, [None, 1])
    save(helper.make_graph(nodes, "margin", [rows], [output]), f"{directory}/margin.onnx")


if __name__ == "__main__":
    two_float_outputs(sys.argv[1])
    margin(sys.argv[1])
