import { expect, it } from 'vitest';
import { describeEachEngine } from '../testing/each-engine.js';
import type { EvaluationRuleRecord, EvaluatorRecord } from './types.js';

const evaluator = (over: Partial<EvaluatorRecord> & Pick<EvaluatorRecord, 'id' | 'projectId'>): EvaluatorRecord => ({
  name: 'hallucination', version: 1, type: 'llm_as_judge', description: null, prompt: 'Is {{output}} supported by {{context}}?',
  variables: ['output', 'context'], provider: 'openai', model: 'gpt-4o-mini', modelParams: { temperature: 0 },
  output: { dataType: 'NUMERIC', scoreDescription: '0 to 1', reasoningDescription: 'one sentence', categories: null },
  scoreName: 'hallucination', scoreConfigId: null, templateId: null, defaultMapping: null, createdAt: 1_000, updatedAt: 1_000, ...over,
});

const rule = (over: Partial<EvaluationRuleRecord> & Pick<EvaluationRuleRecord, 'id' | 'projectId' | 'evaluatorId'>): EvaluationRuleRecord => ({
  name: over.id, target: 'trace', filter: [], mapping: [], sampling: 1, delayMs: 30_000, enabled: true, status: 'active',
  pausedReason: null, pausedMessage: null, createdAt: 1_000, updatedAt: 1_000, ...over,
});

describeEachEngine('evaluator store', (ctx) => {
  it('stores an evaluator version and a rule and reads them back field for field', async () => {
    const p = ctx.newProject();
    const e = evaluator({
      id: 'e1', projectId: p, description: 'checks facts', scoreConfigId: 'cfg', templateId: 'hallucination',
      output: { dataType: 'CATEGORICAL', scoreDescription: 'a label', reasoningDescription: 'why', categories: ['yes', 'no'], allowMultipleMatches: false },
      defaultMapping: [{ variable: 'output', source: 'output', object: 'trace', observationName: null, jsonPath: null }],
    });
    await ctx.storage.evaluators.createEvaluator(e);
    expect(await ctx.storage.evaluators.getEvaluator(p, 'e1')).toEqual(e);
    const r = rule({
      id: 'r1', projectId: p, evaluatorId: 'e1', sampling: 0.25, enabled: false, status: 'inactive',
      filter: [{ column: 'tags', operator: 'any of', key: null, value: ['prod'] }],
      mapping: [{ variable: 'output', source: 'output', object: 'trace', observationName: null, jsonPath: '$.text' }],
    });
    await ctx.storage.evaluators.createRule(r);
    expect(await ctx.storage.evaluators.getRule(p, 'r1')).toEqual(r);
    expect(await ctx.storage.evaluators.getRuleByName(p, 'r1')).toEqual(r);
  });

  it('keeps versions of one name, lists the latest of each name with its version count', async () => {
    const p = ctx.newProject();
    await ctx.storage.evaluators.createEvaluator(evaluator({ id: 'h1', projectId: p, createdAt: 1 }));
    await ctx.storage.evaluators.createEvaluator(evaluator({ id: 't1', projectId: p, name: 'toxicity', createdAt: 2 }));
    await ctx.storage.evaluators.createEvaluator(evaluator({ id: 'h2', projectId: p, version: 2, createdAt: 3 }));
    await expect(ctx.storage.evaluators.createEvaluator(evaluator({ id: 'h2b', projectId: p, version: 2 }))).rejects.toThrow();
    const list = await ctx.storage.evaluators.listEvaluators(p, { page: 1, limit: 10 });
    expect(list.rows.map((e) => e.id)).toEqual(['h2', 't1']);
    expect(list.totalItems).toBe(2);
    expect((await ctx.storage.evaluators.listEvaluators(p, { page: 2, limit: 1 })).rows.map((e) => e.id)).toEqual(['t1']);
    expect((await ctx.storage.evaluators.evaluatorVersions(p, 'hallucination')).map((e) => e.version)).toEqual([2, 1]);
    expect(await ctx.storage.evaluators.versionCounts(p)).toEqual({ hallucination: 2, toxicity: 1 });
  });

  it('deletes every version of an evaluator and the rules running any of them', async () => {
    const p = ctx.newProject();
    await ctx.storage.evaluators.createEvaluator(evaluator({ id: 'v1', projectId: p }));
    await ctx.storage.evaluators.createEvaluator(evaluator({ id: 'v2', projectId: p, version: 2 }));
    await ctx.storage.evaluators.createEvaluator(evaluator({ id: 'other', projectId: p, name: 'relevance' }));
    await ctx.storage.evaluators.createRule(rule({ id: 'old', projectId: p, evaluatorId: 'v1' }));
    await ctx.storage.evaluators.createRule(rule({ id: 'new', projectId: p, evaluatorId: 'v2' }));
    await ctx.storage.evaluators.createRule(rule({ id: 'kept', projectId: p, evaluatorId: 'other' }));
    expect((await ctx.storage.evaluators.rulesOfEvaluators(p, ['v1', 'v2'])).map((r) => r.id).sort()).toEqual(['new', 'old']);
    expect(await ctx.storage.evaluators.deleteEvaluator(p, 'hallucination')).toBe(true);
    expect(await ctx.storage.evaluators.deleteEvaluator(p, 'hallucination')).toBe(false);
    expect(await ctx.storage.evaluators.getEvaluator(p, 'v2')).toBeNull();
    expect((await ctx.storage.evaluators.listRules(p, { page: 1, limit: 10 })).rows.map((r) => r.id)).toEqual(['kept']);
  });

  it('updates a rule, enforces unique rule names and deletes', async () => {
    const p = ctx.newProject();
    await ctx.storage.evaluators.createRule(rule({ id: 'r', projectId: p, evaluatorId: 'e' }));
    await expect(ctx.storage.evaluators.createRule(rule({ id: 'r2', projectId: p, evaluatorId: 'e', name: 'r' }))).rejects.toThrow();
    const paused = rule({ id: 'r', projectId: p, evaluatorId: 'e2', name: 'renamed', status: 'paused', pausedReason: 'connection_deleted', pausedMessage: 'gone', sampling: 0.5, createdAt: 99, updatedAt: 2_000 });
    expect(await ctx.storage.evaluators.updateRule(paused)).toBe(true);
    expect(await ctx.storage.evaluators.getRule(p, 'r')).toEqual({ ...paused, createdAt: 1_000 });
    expect(await ctx.storage.evaluators.updateRule({ ...paused, id: 'missing' })).toBe(false);
    expect(await ctx.storage.evaluators.deleteRule(p, 'r')).toBe(true);
    expect(await ctx.storage.evaluators.deleteRule(p, 'r')).toBe(false);
  });

  it('lists active rules across projects or in one, skipping disabled and paused ones', async () => {
    const a = ctx.newProject();
    const b = ctx.newProject();
    await ctx.storage.evaluators.createRule(rule({ id: 'a-on', projectId: a, evaluatorId: 'e' }));
    await ctx.storage.evaluators.createRule(rule({ id: 'a-off', projectId: a, evaluatorId: 'e', enabled: false, status: 'inactive' }));
    await ctx.storage.evaluators.createRule(rule({ id: 'a-paused', projectId: a, evaluatorId: 'e', status: 'paused', pausedReason: 'x' }));
    await ctx.storage.evaluators.createRule(rule({ id: 'b-on', projectId: b, evaluatorId: 'e' }));
    const all = (await ctx.storage.evaluators.activeRules()).map((r) => `${r.projectId}/${r.id}`);
    expect(all).toEqual(expect.arrayContaining([`${a}/a-on`, `${b}/b-on`]));
    expect(all).not.toContain(`${a}/a-off`);
    expect(all).not.toContain(`${a}/a-paused`);
    expect((await ctx.storage.evaluators.activeRules(b)).map((r) => r.id)).toEqual(['b-on']);
  });

  it('keeps projects apart: same names in two projects, no cross-project read, update or delete', async () => {
    const p = ctx.newProject();
    const other = ctx.newProject();
    await ctx.storage.evaluators.createEvaluator(evaluator({ id: 'e', projectId: p }));
    await ctx.storage.evaluators.createEvaluator(evaluator({ id: 'e', projectId: other }));
    await ctx.storage.evaluators.createRule(rule({ id: 'r', projectId: p, evaluatorId: 'e' }));
    await ctx.storage.evaluators.createRule(rule({ id: 'r', projectId: other, evaluatorId: 'e' }));
    expect(await ctx.storage.evaluators.getRule(other, 'x')).toBeNull();
    expect(await ctx.storage.evaluators.deleteEvaluator(other, 'hallucination')).toBe(true);
    expect(await ctx.storage.evaluators.getEvaluator(p, 'e')).not.toBeNull();
    expect(await ctx.storage.evaluators.getRule(p, 'r')).not.toBeNull();
    expect(await ctx.storage.evaluators.getRule(other, 'r')).toBeNull();
    expect((await ctx.storage.evaluators.listEvaluators(other, { page: 1, limit: 10 })).totalItems).toBe(0);
  });
});
