import type { Page } from '../types.js';

export type PromptType = 'text' | 'chat';

/** The label every newest version carries; computed, never stored, so it cannot be moved by hand. */
export const LATEST_LABEL = 'latest';

/** One version of a prompt. `prompt` is a string (text) or a list of messages and placeholders (chat). */
export interface PromptVersion {
  id: string;
  projectId: string;
  name: string;
  version: number;
  type: PromptType;
  prompt: unknown;
  config: unknown;
  /** Its labels, `latest` included when it is the newest version. */
  labels: string[];
  /** The prompt's tags: one set shared by every version of a name. */
  tags: string[];
  commitMessage: string | null;
  createdBy: string;
  createdAt: number;
  updatedAt: number;
}

export interface NewPromptVersion {
  id: string;
  projectId: string;
  name: string;
  type: PromptType;
  prompt: unknown;
  config: unknown;
  /** Labels to give the new version; each moves here from the version that held it. */
  labels: string[];
  /** The name's tags from now on; null keeps the current ones. */
  tags: string[] | null;
  commitMessage: string | null;
  createdBy: string;
  createdAt: number;
  /**
   * The number to give it when above every stored version (an import keeping the source's
   * numbers, gaps included); otherwise, and by default, the next number.
   */
  importedVersion?: number;
}

/** A version failed to be created because the name already holds prompts of another type. */
export interface PromptTypeConflict {
  existingType: PromptType;
}

/** Which version of a name: by number, or by label (`latest` is the newest). */
export type PromptSelector = { version: number } | { label: string };

export interface PromptListQuery extends Page {
  name?: string;
  label?: string;
  tag?: string;
  fromUpdatedAt?: number;
  toUpdatedAt?: number;
}

/** A prompt name with what its versions matching a list query hold. */
export interface PromptSummary {
  name: string;
  type: PromptType;
  versions: number[];
  labels: string[];
  tags: string[];
  lastUpdatedAt: number;
  /** The config of the newest matching version. */
  lastConfig: unknown;
}

/** A prompt version as a generation names it. */
export interface PromptRef {
  name: string;
  version: number;
}

/** One prompt version's use by the generations that name it, over all time. */
export interface PromptVersionUsage {
  version: number;
  generations: number;
  /** Nearest-rank median and 95th percentile of latency (end − start, ms) of the ended generations. */
  latencyP50Ms: number | null;
  latencyP95Ms: number | null;
  inputTokens: number;
  outputTokens: number;
  totalTokens: number;
  /** USD. */
  totalCost: number;
  /** Each NUMERIC/BOOLEAN score on those generations or on their traces (trace-level), counted once. */
  scores: { name: string; average: number; count: number }[];
  firstUsedAt: number | null;
  lastUsedAt: number | null;
}

/** A generation that used a prompt version. */
export interface PromptGeneration {
  traceId: string | null;
  observationId: string;
  name: string | null;
  model: string | null;
  startTime: number;
  latencyMs: number | null;
  totalCost: number | null;
}
