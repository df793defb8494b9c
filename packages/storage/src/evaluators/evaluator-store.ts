import type { Row, SqlDialect, WritableDb } from '../db.js';
import { bool, json, str } from '../mappers.js';
import { pageParams, placeholders } from '../queries/where.js';
import type { EvaluationRuleRecord, EvaluatorOutput, EvaluatorRecord, EvaluatorStore, RuleFilter, VariableMapping } from './types.js';

const EVALUATOR_COLUMNS = [
  'project_id', 'id', 'name', 'version', 'type', 'description', 'prompt', 'variables', 'provider', 'model',
  'model_params', 'output', 'score_name', 'score_config_id', 'template_id', 'default_mapping', 'created_at', 'updated_at',
];
const RULE_COLUMNS = [
  'project_id', 'id', 'name', 'evaluator_id', 'target', 'filter', 'mapping', 'sampling', 'delay_ms', 'enabled',
  'status', 'paused_reason', 'paused_message', 'created_at', 'updated_at',
];
const EVALUATOR_LIST = EVALUATOR_COLUMNS.join(', ');
const RULE_LIST = RULE_COLUMNS.join(', ');
/** updateRule replaces everything but the identity and the creation time. */
const RULE_MUTABLE = RULE_COLUMNS.filter((c) => !['project_id', 'id', 'created_at'].includes(c));

const toEvaluator = (r: Row): EvaluatorRecord => ({
  projectId: String(r.project_id),
  id: String(r.id),
  name: String(r.name),
  version: Number(r.version),
  type: 'llm_as_judge',
  description: str(r.description),
  prompt: String(r.prompt),
  variables: json<string[]>(r.variables, []),
  provider: str(r.provider),
  model: str(r.model),
  modelParams: json<Record<string, unknown>>(r.model_params, {}),
  output: json<EvaluatorOutput>(r.output, { dataType: 'NUMERIC', scoreDescription: '', reasoningDescription: '', categories: null }),
  scoreName: String(r.score_name),
  scoreConfigId: str(r.score_config_id),
  templateId: str(r.template_id),
  defaultMapping: json<VariableMapping[] | null>(r.default_mapping, null),
  createdAt: Number(r.created_at),
  updatedAt: Number(r.updated_at),
});

const evaluatorValues = (e: EvaluatorRecord): unknown[] => [
  e.projectId, e.id, e.name, e.version, e.type, e.description, e.prompt, JSON.stringify(e.variables), e.provider, e.model,
  JSON.stringify(e.modelParams), JSON.stringify(e.output), e.scoreName, e.scoreConfigId, e.templateId,
  e.defaultMapping ? JSON.stringify(e.defaultMapping) : null, e.createdAt, e.updatedAt,
];

const toRule = (r: Row): EvaluationRuleRecord => ({
  projectId: String(r.project_id),
  id: String(r.id),
  name: String(r.name),
  evaluatorId: String(r.evaluator_id),
  target: String(r.target) as EvaluationRuleRecord['target'],
  filter: json<RuleFilter[]>(r.filter, []),
  mapping: json<VariableMapping[]>(r.mapping, []),
  sampling: Number(r.sampling),
  delayMs: Number(r.delay_ms),
  enabled: bool(r.enabled),
  status: String(r.status) as EvaluationRuleRecord['status'],
  pausedReason: str(r.paused_reason),
  pausedMessage: str(r.paused_message),
  createdAt: Number(r.created_at),
  updatedAt: Number(r.updated_at),
});

const ruleValue = (r: EvaluationRuleRecord, column: string, sql: SqlDialect): unknown => {
  switch (column) {
    case 'project_id': return r.projectId;
    case 'id': return r.id;
    case 'name': return r.name;
    case 'evaluator_id': return r.evaluatorId;
    case 'target': return r.target;
    case 'filter': return JSON.stringify(r.filter);
    case 'mapping': return JSON.stringify(r.mapping);
    case 'sampling': return r.sampling;
    case 'delay_ms': return r.delayMs;
    case 'enabled': return sql.bool(r.enabled);
    case 'status': return r.status;
    case 'paused_reason': return r.pausedReason;
    case 'paused_message': return r.pausedMessage;
    case 'created_at': return r.createdAt;
    case 'updated_at': return r.updatedAt;
    default: throw new Error(`unknown evaluation rule column ${column}`);
  }
};

/** The latest version of each name: no version of the same name is higher. */
const LATEST = `NOT EXISTS (SELECT 1 FROM evaluators newer WHERE newer.project_id = e.project_id AND newer.name = e.name AND newer.version > e.version)`;

export function createEvaluatorStore(db: WritableDb, sql: SqlDialect): EvaluatorStore {
  return {
    async createEvaluator(e) {
      await db.transaction((tx) => tx.run(`INSERT INTO evaluators (${EVALUATOR_LIST}) VALUES (${placeholders(EVALUATOR_COLUMNS.length)})`, evaluatorValues(e)));
    },
    async getEvaluator(projectId, id) {
      const r = await db.get(`SELECT ${EVALUATOR_LIST} FROM evaluators WHERE project_id = ? AND id = ?`, [projectId, id]);
      return r ? toEvaluator(r) : null;
    },
    async listEvaluators(projectId, { page, limit }) {
      const total = await db.get<{ n: number }>('SELECT COUNT(DISTINCT name) AS n FROM evaluators WHERE project_id = ?', [projectId]);
      const rows = await db.all(
        `SELECT ${EVALUATOR_LIST} FROM evaluators e WHERE e.project_id = ? AND ${LATEST} ORDER BY e.created_at DESC, e.id DESC LIMIT ? OFFSET ?`,
        [projectId, ...pageParams(page, limit)],
      );
      return { rows: rows.map(toEvaluator), totalItems: Number(total?.n ?? 0) };
    },
    async evaluatorVersions(projectId, name) {
      const rows = await db.all(`SELECT ${EVALUATOR_LIST} FROM evaluators WHERE project_id = ? AND name = ? ORDER BY version DESC`, [projectId, name]);
      return rows.map(toEvaluator);
    },
    async versionCounts(projectId) {
      const rows = await db.all<{ name: string; n: number }>('SELECT name, COUNT(*) AS n FROM evaluators WHERE project_id = ? GROUP BY name', [projectId]);
      return Object.fromEntries(rows.map((r) => [String(r.name), Number(r.n)]));
    },
    async deleteEvaluator(projectId, name) {
      return db.transaction(async (tx) => {
        await tx.run('DELETE FROM evaluation_rules WHERE project_id = ? AND evaluator_id IN (SELECT id FROM evaluators WHERE project_id = ? AND name = ?)', [projectId, projectId, name]);
        const { changes } = await tx.run('DELETE FROM evaluators WHERE project_id = ? AND name = ?', [projectId, name]);
        return changes > 0;
      });
    },

    async createRule(rule) {
      await db.transaction((tx) => tx.run(`INSERT INTO evaluation_rules (${RULE_LIST}) VALUES (${placeholders(RULE_COLUMNS.length)})`, RULE_COLUMNS.map((c) => ruleValue(rule, c, sql))));
    },
    async getRule(projectId, id) {
      const r = await db.get(`SELECT ${RULE_LIST} FROM evaluation_rules WHERE project_id = ? AND id = ?`, [projectId, id]);
      return r ? toRule(r) : null;
    },
    async getRuleByName(projectId, name) {
      const r = await db.get(`SELECT ${RULE_LIST} FROM evaluation_rules WHERE project_id = ? AND name = ?`, [projectId, name]);
      return r ? toRule(r) : null;
    },
    async listRules(projectId, { page, limit }) {
      const total = await db.get<{ n: number }>('SELECT COUNT(*) AS n FROM evaluation_rules WHERE project_id = ?', [projectId]);
      const rows = await db.all(`SELECT ${RULE_LIST} FROM evaluation_rules WHERE project_id = ? ORDER BY created_at DESC, id DESC LIMIT ? OFFSET ?`, [projectId, ...pageParams(page, limit)]);
      return { rows: rows.map(toRule), totalItems: Number(total?.n ?? 0) };
    },
    async updateRule(rule) {
      const { changes } = await db.transaction((tx) =>
        tx.run(
          `UPDATE evaluation_rules SET ${RULE_MUTABLE.map((c) => `${c} = ?`).join(', ')} WHERE project_id = ? AND id = ?`,
          [...RULE_MUTABLE.map((c) => ruleValue(rule, c, sql)), rule.projectId, rule.id],
        ),
      );
      return changes > 0;
    },
    async deleteRule(projectId, id) {
      const { changes } = await db.transaction((tx) => tx.run('DELETE FROM evaluation_rules WHERE project_id = ? AND id = ?', [projectId, id]));
      return changes > 0;
    },
    async rulesOfEvaluators(projectId, evaluatorIds) {
      if (evaluatorIds.length === 0) return [];
      const rows = await db.all(
        `SELECT ${RULE_LIST} FROM evaluation_rules WHERE project_id = ? AND evaluator_id IN (${placeholders(evaluatorIds.length)}) ORDER BY created_at, id`,
        [projectId, ...evaluatorIds],
      );
      return rows.map(toRule);
    },
    async activeRules(projectId) {
      const where = projectId === undefined ? '' : ' AND project_id = ?';
      const rows = await db.all(
        `SELECT ${RULE_LIST} FROM evaluation_rules WHERE status = 'active' AND enabled = ?${where} ORDER BY project_id, created_at, id`,
        projectId === undefined ? [sql.bool(true)] : [sql.bool(true), projectId],
      );
      return rows.map(toRule);
    },
  };
}
