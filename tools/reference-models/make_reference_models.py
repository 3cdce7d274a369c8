"""Trains classifiers with other frameworks, exports them to ONNX and records what the frameworks
themselves predict, so that riskstream's scoring can be checked against models it did not make.

    python make_reference_models.py FEATURES.csv OUT_DIR

FEATURES.csv is what ExportFeatures.java writes: the baseline bundle's 26 feature columns, then the
fraud label. OUT_DIR receives, for every model NAME, NAME.onnx and NAME.expected.csv (the
framework's fraud probability for each row of reference-rows.csv), and reference-rows.csv itself
(26 floats per line, no header), all written so that float32 readers see exactly the values the
frameworks were given.
"""

import sys
from pathlib import Path

import lightgbm
import numpy as np
import onnx
import onnxruntime
import torch
from onnxmltools import convert_lightgbm
from onnxmltools.convert.common.data_types import FloatTensorType as LgbmFloatTensorType
from skl2onnx import to_onnx
from skl2onnx.common.data_types import FloatTensorType
from sklearn.ensemble import GradientBoostingClassifier

SEED = 20260105
WIDTH = 26
REFERENCE_ROWS = 240
REFERENCE_FRAUD_ROWS = 60
# ONNX Runtime 1.23 (the Java runtime riskstream uses) reads both; newer opsets buy nothing here
OPSET = 17
ML_OPSET = 3
# the newest onnxmltools 1.17 converts LightGBM to
LIGHTGBM_OPSET = 15
# the promise the Java tests check; the generator refuses to write fixtures that break it
TOLERANCE = 1e-5


def read_features(path):
  data = np.loadtxt(path, delimiter=",", dtype=np.float32, ndmin=2)
  return data[:, :WIDTH], data[:, WIDTH].astype(np.int64)


def split(features, labels):
  """Trains on the first 80 % in event-time order; the reference rows come from the rest."""
  cut = int(len(labels) * 0.8)
  rng = np.random.default_rng(SEED)
  held_out = np.arange(cut, len(labels))
  fraud = held_out[labels[held_out] == 1]
  legit = held_out[labels[held_out] == 0]
  chosen = np.concatenate([
      rng.choice(fraud, size=min(REFERENCE_FRAUD_ROWS, len(fraud)), replace=False),
      rng.choice(legit, size=REFERENCE_ROWS - min(REFERENCE_FRAUD_ROWS, len(fraud)), replace=False)])
  chosen.sort()
  return features[:cut], labels[:cut], features[chosen]


class Mlp(torch.nn.Module):
  """Standardises its input itself, so the exported graph takes raw features as the job computes them."""

  def __init__(self, mean, std, outputs, head):
    super().__init__()
    self.register_buffer("mean", torch.tensor(mean))
    self.register_buffer("std", torch.tensor(std))
    self.layers = torch.nn.Sequential(
        torch.nn.Linear(WIDTH, 32), torch.nn.ReLU(),
        torch.nn.Linear(32, 16), torch.nn.ReLU(),
        torch.nn.Linear(16, outputs))
    self.head = head

  def logits(self, x):
    return self.layers((x - self.mean) / self.std)

  def forward(self, x):
    return self.head(self.logits(x))


def train_mlp(features, labels, outputs, head, loss):
  torch.manual_seed(SEED)
  mean = features.mean(axis=0)
  std = np.maximum(features.std(axis=0), 1e-3).astype(np.float32)
  model = Mlp(mean, std, outputs, head)
  x = torch.from_numpy(features)
  y = torch.from_numpy(labels)
  optimiser = torch.optim.Adam(model.parameters(), lr=3e-3, weight_decay=1e-3)
  generator = torch.Generator().manual_seed(SEED)
  for _ in range(3):
    for batch in torch.randperm(len(y), generator=generator).split(512):
      optimiser.zero_grad()
      loss(model.logits(x[batch]), y[batch]).backward()
      optimiser.step()
  return model.eval()


def export_torch(model, input_name, output_name, path):
  torch.onnx.export(
      model, (torch.zeros(2, WIDTH),), str(path), input_names=[input_name], output_names=[output_name],
      dynamic_axes={input_name: {0: "rows"}, output_name: {0: "rows"}}, opset_version=OPSET,
      dynamo=False)


def torch_models(features, labels, rows):
  """Sigmoid [N,1], the same network flattened to [N], and a two-class softmax [N,2]."""
  sigmoid = train_mlp(features, labels, 1, torch.sigmoid,
                      lambda logits, y: torch.nn.functional.binary_cross_entropy_with_logits(
                          logits[:, 0], y.float()))
  flat = torch.nn.Sequential(sigmoid, torch.nn.Flatten(start_dim=0))
  softmax = train_mlp(features, labels, 2, lambda logits: torch.softmax(logits, dim=1),
                      torch.nn.functional.cross_entropy)
  with torch.no_grad():
    x = torch.from_numpy(rows)
    sigmoid_p = sigmoid(x)[:, 0].numpy()
    flat_p = flat(x).numpy()
    softmax_p = softmax(x)[:, 1].numpy()
  return [
      ("torch_mlp_sigmoid", lambda p: export_torch(sigmoid, "features", "fraud_probability", p), sigmoid_p),
      ("torch_mlp_sigmoid_flat", lambda p: export_torch(flat, "features", "fraud_probability", p), flat_p),
      ("torch_mlp_softmax", lambda p: export_torch(softmax, "features", "probabilities", p), softmax_p),
  ]


def sklearn_onnx(model, zipmap):
  options = {id(model): {"zipmap": zipmap}}
  return to_onnx(model, initial_types=[("input", FloatTensorType([None, WIDTH]))],
                 target_opset={"": OPSET, "ai.onnx.ml": ML_OPSET}, options=options)


def tree_models(features, labels, rows):
  """Gradient-boosted trees in ai.onnx.ml: with and without ZipMap, integer and string classes."""
  boosted = GradientBoostingClassifier(n_estimators=60, max_depth=3, random_state=SEED)
  boosted.fit(features, labels)
  boosted_p = boosted.predict_proba(rows)[:, list(boosted.classes_).index(1)]

  named = GradientBoostingClassifier(n_estimators=60, max_depth=3, random_state=SEED)
  named.fit(features, np.where(labels == 1, "fraud", "legit"))
  named_p = named.predict_proba(rows)[:, list(named.classes_).index("fraud")]

  light = lightgbm.LGBMClassifier(n_estimators=60, num_leaves=15, random_state=SEED, deterministic=True,
                                  n_jobs=1, verbose=-1)
  light.fit(features, labels)
  light_p = light.predict_proba(rows)[:, list(light.classes_).index(1)]
  light_onnx = convert_lightgbm(light, initial_types=[("input", LgbmFloatTensorType([None, WIDTH]))],
                                target_opset=LIGHTGBM_OPSET, zipmap=False)

  return [
      ("sklearn_gbt_zipmap", lambda p: save(sklearn_onnx(boosted, True), p), boosted_p),
      ("sklearn_gbt_tensor", lambda p: save(sklearn_onnx(boosted, False), p), boosted_p),
      ("sklearn_gbt_zipmap_string_labels", lambda p: save(sklearn_onnx(named, True), p), named_p),
      ("lightgbm_tensor", lambda p: save(light_onnx, p), light_p),
  ]


def save(model, path):
  onnx.checker.check_model(model)
  onnx.save_model(model, str(path))


def onnx_probabilities(path, rows):
  """What ONNX Runtime makes of the file: the single float output, or the one of several that is not
  the label; from a ZipMap the key that the framework called the fraud class."""
  session = onnxruntime.InferenceSession(str(path), providers=["CPUExecutionProvider"])
  outputs = session.get_outputs()
  chosen = next(o for o in outputs if "label" not in o.name) if len(outputs) > 1 else outputs[0]
  (values,) = session.run([chosen.name], {session.get_inputs()[0].name: rows})
  if isinstance(values, list):
    key = "fraud" if "fraud" in values[0] else 1
    return np.array([m[key] for m in values], dtype=np.float64)
  values = np.asarray(values, dtype=np.float64)
  return values[:, 1] if values.ndim == 2 and values.shape[1] == 2 else values.reshape(len(rows))


def write_csv(path, values):
  with open(path, "w") as out:
    for value in values:
      out.write(value + "\n")


def main():
  features_path, out_dir = Path(sys.argv[1]), Path(sys.argv[2])
  out_dir.mkdir(parents=True, exist_ok=True)
  features, labels = read_features(features_path)
  train_x, train_y, rows = split(features, labels)
  # str of a float32 is its shortest representation: parsed as float32, exactly the value given
  write_csv(out_dir / "reference-rows.csv", (",".join(str(v) for v in row) for row in rows))
  for name, export, probabilities in torch_models(train_x, train_y, rows) + tree_models(train_x, train_y, rows):
    path = out_dir / f"{name}.onnx"
    export(path)
    expected = np.asarray(probabilities, dtype=np.float64)
    difference = np.max(np.abs(onnx_probabilities(path, rows) - expected))
    print(f"{name}: ONNX Runtime {onnxruntime.__version__} vs framework max |diff| {difference:.3g}, "
          f"probabilities {expected.min():.3g}..{expected.max():.3g}")
    if difference > TOLERANCE:
      raise SystemExit(f"{name} differs from its framework by {difference}, more than {TOLERANCE}")
    write_csv(out_dir / f"{name}.expected.csv", (repr(float(p)) for p in expected))


if __name__ == "__main__":
  main()
