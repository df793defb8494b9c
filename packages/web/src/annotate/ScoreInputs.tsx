import type { ScoreConfig } from '../types.js';

/** The reviewer's answer per config id: a category label, a number as typed, or text. */
export type ScoreValues = Record<string, string>;

/** The choices of a categorical or boolean config, in the order keys 1-9 pick them. */
export const choicesOf = (c: ScoreConfig): { label: string; value: number }[] => (c.dataType === 'CATEGORICAL' || c.dataType === 'BOOLEAN' ? (c.categories ?? []) : []);

/** The complete request's `scores`: one per config answered. */
export function scoresToSave(configs: ScoreConfig[], values: ScoreValues): { configId: string; value: number | string }[] {
  return configs.flatMap((c): { configId: string; value: number | string }[] => {
    const v = values[c.id]?.trim() ?? '';
    if (v === '') return [];
    if (c.dataType === 'NUMERIC') return [{ configId: c.id, value: Number(v) }];
    if (c.dataType === 'BOOLEAN') return [{ configId: c.id, value: choicesOf(c).find((k) => k.label === v)?.value ?? Number(v) }];
    return [{ configId: c.id, value: v }];
  });
}

interface Props {
  configs: ScoreConfig[];
  values: ScoreValues;
  active: number;
  onActive(i: number): void;
  onChange(configId: string, value: string): void;
}

/** One input per score config of the queue; the active one (↑/↓) takes the number keys. */
export function ScoreInputs({ configs, values, active, onActive, onChange }: Props) {
  return (
    <div className="score-inputs">
      {configs.map((c, i) => (
        <fieldset key={c.id} className={i === active ? 'score-input active' : 'score-input'} data-config={c.name} onFocus={() => onActive(i)}>
          <legend>
            {c.name} <span className="muted small">{c.dataType.toLowerCase()}</span>
          </legend>
          {c.description && <p className="muted small">{c.description}</p>}
          {choicesOf(c).length > 0 && (
            <div className="choices" role="radiogroup" aria-label={c.name}>
              {choicesOf(c).map((k, j) => (
                <button key={k.label} type="button" role="radio" aria-checked={values[c.id] === k.label} className={values[c.id] === k.label ? 'choice selected' : 'choice'} onClick={() => onChange(c.id, k.label)}>
                  {j < 9 && <kbd>{j + 1}</kbd>} {k.label}
                </button>
              ))}
            </div>
          )}
          {c.dataType === 'NUMERIC' && (
            <input
              type="number"
              step="any"
              aria-label={c.name}
              min={c.minValue ?? undefined}
              max={c.maxValue ?? undefined}
              placeholder={`${c.minValue ?? ''} … ${c.maxValue ?? ''}`}
              value={values[c.id] ?? ''}
              onChange={(e) => onChange(c.id, e.target.value)}
            />
          )}
          {c.dataType === 'TEXT' && <textarea aria-label={c.name} rows={2} maxLength={500} value={values[c.id] ?? ''} onChange={(e) => onChange(c.id, e.target.value)} />}
        </fieldset>
      ))}
    </div>
  );
}
