"""Trains a gradient-boosted fraud model on the rows of `riskstream features export` and writes it
as ONNX, its input columns named in the model's metadata, ready for `riskstream model bundle`.

    python3 train_gbt.py EXPORT_DIR MODEL.onnx

EXPORT_DIR is an export made with --validation-from: its training/ rows train the model, its
validation/ rows stop the boosting early. docs/models.md has the whole way from the export to a
promoted model. Python 3.11 with (the versions the reference models were made with):

    pip install lightgbm==4.7.0 numpy==2.4.6 onnx==1.23.1 onnxmltools==1.17.0 onnxconverter-common==1.17.0
"""
import csv
import glob
import sys

import lightgbm
import numpy
import onnx
from onnxmltools import convert_lightgbm
from onnxmltools.convert.common.data_types import FloatTensorType

# the model metadata that `riskstream model bundle` reads the input's columns from
COLUMNS_METADATA = "riskstream.features"
LABEL = "label"


def read(directory):
    """The labelled rows of every CSV file under directory: features (the columns after the label,
    named by the header), labels, and the feature names."""
    rows, labels, names = [], [], None
    files = sorted(glob.glob(f"{directory}/**/*.csv", recursive=True))
    if not files:
        sys.exit(f"{directory}: no .csv files; export with --validation-from to get training/ and validation/")
    for path in files:
        with open(path, newline="", encoding="utf-8") as file:
            reader = csv.reader(file)
            header = next(reader)
            label_at = header.index(LABEL)
            if names is None:
                names = header[label_at + 1:]
            elif header[label_at + 1:] != names:
                sys.exit(f"{path}: its features are not those of {files[0]}")
            for record in reader:
                if record[label_at] == "":
                    continue
                labels.append(int(record[label_at]))
                rows.append([float(value) for value in record[label_at + 1:]])
    return numpy.asarray(rows, dtype=numpy.float32), numpy.asarray(labels), names


def train(x_train, y_train, x_validation, y_validation):
    model = lightgbm.LGBMClassifier(n_estimators=500, learning_rate=0.05, num_leaves=31, min_child_samples=20,
                                    random_state=7, verbose=-1)
    model.fit(x_train, y_train, eval_X=(x_validation,), eval_y=(y_validation,), eval_metric="auc",
              callbacks=[lightgbm.early_stopping(50, verbose=False)])
    return model


def to_onnx(model, names):
    # no ZipMap: the probabilities as a [N, 2] tensor, which the job reads without a map per row
    converted = convert_lightgbm(model, initial_types=[("input", FloatTensorType([None, len(names)]))],
                                 zipmap=False, target_opset=15)
    columns = converted.metadata_props.add()
    columns.key = COLUMNS_METADATA
    columns.value = ",".join(names)
    return converted


def main(export, out):
    x_train, y_train, names = read(f"{export}/training")
    x_validation, y_validation, validation_names = read(f"{export}/validation")
    if validation_names != names:
        sys.exit("training/ and validation/ have other features")
    model = train(x_train, y_train, x_validation, y_validation)
    onnx.save(to_onnx(model, names), out)
    print(f"{out}: {model.best_iteration_ or model.n_estimators} trees on {len(y_train)} rows "
          f"({int(y_train.sum())} fraud), {len(names)} features")


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    main(sys.argv[1], sys.argv[2])
