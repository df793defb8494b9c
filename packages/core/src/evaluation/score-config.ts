/** Score configs: the definitions human and automated scores are checked against. */

export const SCORE_CONFIG_DATA_TYPES = ['NUMERIC', 'CATEGORICAL', 'BOOLEAN', 'TEXT'] as const;
export type ScoreConfigDataType = (typeof SCORE_CONFIG_DATA_TYPES)[number];

export interface ConfigCategory {
  value: number;
  label: string;
}

export interface ScoreConfigRecord {
  id: string;
  projectId: string;
  name: string;
  dataType: ScoreConfigDataType;
  isArchived: boolean;
  /** NUMERIC only; null means unbounded. */
  minValue: number | null;
  maxValue: number | null;
  /** CATEGORICAL: as given; BOOLEAN: always True = 1, False = 0; null for the others. */
  categories: ConfigCategory[] | null;
  description: string | null;
  createdAt: number;
  updatedAt: number;
}

/** The categories of every BOOLEAN config (Langfuse's labels and order). */
export const BOOLEAN_CATEGORIES: readonly ConfigCategory[] = [
  { label: 'True', value: 1 },
  { label: 'False', value: 0 },
];

/** Langfuse's rule for config names: at most 35 characters of letters, digits, `_ .()-` and spaces. */
export const CONFIG_NAME_PATTERN = /^[A-Za-z0-9_ .()-]{1,35}$/;

/** The definition part of a config: what create and update must leave consistent. */
export type ScoreConfigShape = Pick<ScoreConfigRecord, 'name' | 'dataType' | 'minValue' | 'maxValue' | 'categories'>;

/**
 * The first rule a config breaks, as `field: rule`, or null when it is consistent. Range bounds
 * belong to NUMERIC configs and categories to CATEGORICAL ones (BOOLEAN categories are filled in).
 */
export function scoreConfigError(c: ScoreConfigShape): string | null {
  if (!CONFIG_NAME_PATTERN.test(c.name)) {
    return 'name: must be 1 to 35 characters of letters, digits, underscores, spaces, periods, parentheses and hyphens';
  }
  if (c.dataType !== 'NUMERIC' && (c.minValue !== null || c.maxValue !== null)) return `minValue, maxValue: only a NUMERIC config has a range; this one is ${c.dataType}`;
  if (c.minValue !== null && c.maxValue !== null && c.minValue > c.maxValue) return `minValue: must not be greater than maxValue (${c.minValue} > ${c.maxValue})`;
  if (c.dataType === 'CATEGORICAL') {
    if (!c.categories || c.categories.length === 0) return 'categories: a CATEGORICAL config needs at least one category';
    const labels = new Set(c.categories.map((x) => x.label));
    const values = new Set(c.categories.map((x) => x.value));
    if (labels.size !== c.categories.length) return 'categories: labels must be unique';
    if (values.size !== c.categories.length) return 'categories: values must be unique';
    if (c.categories.some((x) => x.label.length === 0)) return 'categories: labels must not be empty';
  } else if (c.dataType !== 'BOOLEAN' && c.categories !== null) {
    return `categories: only a CATEGORICAL config has categories; this one is ${c.dataType}`;
  }
  return null;
}
