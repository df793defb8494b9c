import type { ModelPrice } from '@sightline/core';
import type { Db, Row, WritableDb } from '../db.js';

/** A project's custom model definition. */
export interface StoredModel extends ModelPrice {
  projectId: string;
  unit: string | null;
  createdAt: number;
  updatedAt: number;
}

/** A project's custom models (built-in models live in core and are never stored). */
export interface ModelStore {
  /** Newest first. */
  list(projectId: string): Promise<StoredModel[]>;
  get(projectId: string, id: string): Promise<StoredModel | null>;
  create(model: StoredModel): Promise<void>;
  /** True when the model existed. */
  delete(projectId: string, id: string): Promise<boolean>;
}

export function createModelStore(db: WritableDb): ModelStore {
  return {
    list: (projectId) => listModels(db, projectId),
    get: (projectId, id) => getModel(db, projectId, id),
    create: (model) => createModel(db, model),
    delete: (projectId, id) => deleteModel(db, projectId, id),
  };
}

const toModel = (r: Row): StoredModel => ({
  id: String(r.id),
  projectId: String(r.project_id),
  modelName: String(r.model_name),
  matchPattern: String(r.match_pattern),
  startDate: r.start_date === null || r.start_date === undefined ? null : Number(r.start_date),
  unit: r.unit === null || r.unit === undefined ? null : String(r.unit),
  tokenizerId: r.tokenizer_id === 'openai' || r.tokenizer_id === 'claude' ? r.tokenizer_id : null,
  tokenizerConfig: typeof r.tokenizer_config === 'string' ? (JSON.parse(r.tokenizer_config) as ModelPrice['tokenizerConfig']) : null,
  pricingTiers: JSON.parse(String(r.pricing_tiers)) as ModelPrice['pricingTiers'],
  createdAt: Number(r.created_at),
  updatedAt: Number(r.updated_at),
});

export async function listModels(db: Db, projectId: string): Promise<StoredModel[]> {
  return (await db.all('SELECT * FROM models WHERE project_id = ? ORDER BY created_at DESC, id', [projectId])).map(toModel);
}

async function getModel(db: Db, projectId: string, id: string): Promise<StoredModel | null> {
  const r = await db.get('SELECT * FROM models WHERE project_id = ? AND id = ?', [projectId, id]);
  return r ? toModel(r) : null;
}

async function createModel(db: WritableDb, m: StoredModel): Promise<void> {
  await db.transaction((tx) =>
    tx.run(
      `INSERT INTO models (id, project_id, model_name, match_pattern, start_date, unit, tokenizer_id, tokenizer_config, pricing_tiers, created_at, updated_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      [
        m.id, m.projectId, m.modelName, m.matchPattern, m.startDate, m.unit, m.tokenizerId,
        m.tokenizerConfig === null ? null : JSON.stringify(m.tokenizerConfig), JSON.stringify(m.pricingTiers), m.createdAt, m.updatedAt,
      ],
    ),
  );
}

async function deleteModel(db: WritableDb, projectId: string, id: string): Promise<boolean> {
  const { changes } = await db.transaction((tx) => tx.run('DELETE FROM models WHERE project_id = ? AND id = ?', [projectId, id]));
  return changes > 0;
}
