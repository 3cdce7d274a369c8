package dev.riskstream.sql.onnx;

import java.io.Serializable;
import org.apache.flink.table.data.RowData;
import org.apache.flink.table.types.logical.LogicalTypeRoot;

/**
 * How a row of ML_PREDICT's input (the model's INPUT columns, in order) becomes the model's float
 * input: column {@code c} of the model takes field {@code fieldOfColumn[c]}.
 */
final class InputColumns implements Serializable {

  private static final long serialVersionUID = 1L;

  private final String[] fieldNames;
  private final LogicalTypeRoot[] fieldTypes;
  private final int[] fieldOfColumn;

  InputColumns(String[] fieldNames, LogicalTypeRoot[] fieldTypes, int[] fieldOfColumn) {
    this.fieldNames = fieldNames.clone();
    this.fieldTypes = fieldTypes.clone();
    this.fieldOfColumn = fieldOfColumn.clone();
  }

  /** Whether a column of this type can feed the model: numbers and booleans (1 and 0). */
  static boolean readable(LogicalTypeRoot type) {
    return switch (type) {
      case FLOAT, DOUBLE, INTEGER, BIGINT, SMALLINT, TINYINT, BOOLEAN -> true;
      default -> false;
    };
  }

  int width() {
    return fieldOfColumn.length;
  }

  /** Writes the model's columns of {@code row} to {@code target} from {@code offset}. */
  void write(RowData row, float[] target, int offset) {
    for (int column = 0; column < fieldOfColumn.length; column++) {
      int field = fieldOfColumn[column];
      if (row.isNullAt(field)) {
        throw new IllegalArgumentException("input column " + fieldNames[field] + " is NULL: the model takes a number"
            + " in every column (COALESCE it to the value the model was trained with for a missing one)");
      }
      target[offset + column] = switch (fieldTypes[field]) {
        case FLOAT -> row.getFloat(field);
        case DOUBLE -> (float) row.getDouble(field);
        case INTEGER -> row.getInt(field);
        case BIGINT -> row.getLong(field);
        case SMALLINT -> row.getShort(field);
        case TINYINT -> row.getByte(field);
        case BOOLEAN -> row.getBoolean(field) ? 1f : 0f;
        default -> throw new IllegalStateException("input column " + fieldNames[field] + " is " + fieldTypes[field]);
      };
    }
  }
}
