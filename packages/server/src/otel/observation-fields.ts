import type { Level, ObservationType } from '@sightline/core';
import { asString, firstString, LF, parseJsonString, toNumber } from './attributes.js';
import type { Attributes } from './otlp-values.js';

const LEVEL_ALIASES: Record<string, Level> = {
  DEBUG: 'DEBUG',
  TRACE: 'DEBUG',
  VERBOSE: 'DEBUG',
  DEFAULT: 'DEFAULT',
  INFO: 'DEFAULT',
  LOG: 'DEFAULT',
  NOTICE: 'DEFAULT',
  OK: 'DEFAULT',
  SUCCESS: 'DEFAULT',
  WARNING: 'WARNING',
  WARN: 'WARNING',
  ERROR: 'ERROR',
  FATAL: 'ERROR',
  CRITICAL: 'ERROR',
};

/** OTLP `Status.code` of an error. */
const STATUS_ERROR = 2;

/** `langfuse.observation.level` (with its aliases), else ERROR for an error status, else DEFAULT. */
export function extractLevel(attrs: Attributes, statusCode: number | undefined): Level {
  const raw = attrs[LF.OBS_LEVEL];
  const level = typeof raw === 'string' ? LEVEL_ALIASES[raw.trim().toUpperCase()] : undefined;
  if (level) return level;
  return statusCode === STATUS_ERROR ? 'ERROR' : 'DEFAULT';
}

export function extractStatusMessage(attrs: Attributes, statusMessage: string | undefined): string | undefined {
  return firstString(attrs, [LF.OBS_STATUS_MESSAGE]) ?? (statusMessage || undefined);
}

/** An ISO datetime with offset from an ISO string (possibly JSON-encoded twice), or `undefined`. */
function isoOrUndefined(v: unknown): string | undefined {
  const s = parseJsonString(v);
  if (typeof s !== 'string' || s.trim() === '') return undefined;
  const ms = Date.parse(s);
  return Number.isNaN(ms) ? undefined : new Date(ms).toISOString();
}

/** `langfuse.observation.completion_start_time`, else the AI SDK's ms-to-first-chunk added to the start. */
export function extractCompletionStartTime(attrs: Attributes, startMs: number): string | undefined {
  const explicit = isoOrUndefined(attrs[LF.OBS_COMPLETION_START_TIME]);
  if (explicit) return explicit;
  const msToFirstChunk = toNumber(attrs['ai.response.msToFirstChunk'] ?? attrs['ai.stream.msToFirstChunk']);
  return msToFirstChunk === undefined ? undefined : new Date(startMs + Math.ceil(msToFirstChunk)).toISOString();
}

/** The observation name: tool and framework names before the span name. */
export function extractObservationName(spanName: string, attrs: Attributes): string {
  const named = firstString(attrs, ['gen_ai.tool.name', 'genkit:name', 'logfire.msg']);
  if (named) return named;
  if ('ai.toolCall.name' in attrs) return asString(attrs['ai.toolCall.name']);
  if ('ai.operationId' in attrs) {
    const functionId = attrs['ai.telemetry.functionId'];
    return `${functionId ? `${asString(functionId)}:` : ''}${asString(attrs['ai.operationId'])}`;
  }
  return spanName;
}

/**
 * The prompt link `{promptName, promptVersion}` of a generation; both or neither, and only when
 * the version is an integer (the batch schema's rule).
 */
export function extractPrompt(attrs: Attributes, type: ObservationType): { promptName: string; promptVersion: number } | undefined {
  if (type !== 'GENERATION') return undefined;
  let name = attrs[LF.OBS_PROMPT_NAME] ?? attrs['langfuse.prompt.name'];
  let version = attrs[LF.OBS_PROMPT_VERSION] ?? attrs['langfuse.prompt.version'];
  if (name === undefined) {
    const aiSdk = parseJsonString(attrs['ai.telemetry.metadata.langfusePrompt']);
    if (typeof aiSdk === 'object' && aiSdk !== null) ({ name, version } = aiSdk as { name?: unknown; version?: unknown });
  }
  const v = toNumber(version);
  if (typeof name !== 'string' || name === '' || v === undefined || !Number.isInteger(v)) return undefined;
  return { promptName: name, promptVersion: v };
}
