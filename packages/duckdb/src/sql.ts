import type { JoinKeyType, ValueType } from '@granary/core';

/** Quotes an SQL identifier (column name). */
export function ident(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

/** Quotes an SQL string literal. */
export function literal(text: string): string {
  return `'${text.replaceAll("'", "''")}'`;
}

/** The DuckDB type a feature of `type` is cast to when read. */
export function sqlTypeOfValue(type: ValueType): string {
  switch (type) {
    case 'int64':
      return 'BIGINT';
    case 'float64':
      return 'DOUBLE';
    case 'float32':
      return 'FLOAT';
    case 'bool':
      return 'BOOLEAN';
    case 'string':
      return 'VARCHAR';
    case 'bytes':
      return 'BLOB';
    case 'float32[]':
      return 'FLOAT[]';
    case 'float64[]':
      return 'DOUBLE[]';
    case 'string[]':
      return 'VARCHAR[]';
  }
}

/** The DuckDB type of a join key column. */
export function sqlTypeOfKey(type: JoinKeyType): string {
  return type === 'int64' ? 'BIGINT' : type === 'bytes' ? 'BLOB' : 'VARCHAR';
}

/** Whether statistics compute mean, median and quantiles for `type`. */
export function isNumericType(type: ValueType): boolean {
  return type === 'int64' || type === 'float64' || type === 'float32';
}

/** Whether statistics compute a mode for `type`. */
export function hasMode(type: ValueType): boolean {
  return type === 'int64' || type === 'float64' || type === 'float32' || type === 'bool' || type === 'string';
}
