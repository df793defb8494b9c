import type { ComponentType } from 'react';
import { BulkEvaluate } from '../../evaluation/BulkEvaluate.js';
import type { EvaluationRuleView } from '../../types.js';

/** What a component mounted on a saved rule's page receives. */
export interface RuleExtensionProps {
  projectId: string;
  rule: EvaluationRuleView;
  /** Whether the signed-in user may change the project's evaluations (member or higher). */
  canWrite: boolean;
}

/**
 * EXTENSION POINT of the rule page (RulePage.tsx): each component listed here is rendered, in
 * order, under a saved rule's form, e.g. "Run on existing traces (cost estimate first)". Add an
 * import and an entry; nothing else needs to change.
 */
export const RULE_EXTENSIONS: ComponentType<RuleExtensionProps>[] = [BulkEvaluate];
