import { asString, firstString, LF } from './attributes.js';
import type { Attributes } from './otlp-values.js';

const USER_ID_KEYS = [
  LF.USER_ID,
  'user.id',
  `${LF.OBS_METADATA}.langfuse_user_id`,
  `${LF.TRACE_METADATA}.langfuse_user_id`,
  'ai.telemetry.metadata.userId',
];

const SESSION_ID_KEYS = [
  LF.SESSION_ID,
  'session.id',
  'gen_ai.conversation.id',
  `${LF.OBS_METADATA}.langfuse_session_id`,
  `${LF.TRACE_METADATA}.langfuse_session_id`,
  'ai.telemetry.metadata.sessionId',
];

const TAG_KEYS = [
  LF.TRACE_TAGS,
  'langfuse.tags',
  `${LF.OBS_METADATA}.langfuse_tags`,
  `${LF.TRACE_METADATA}.langfuse_tags`,
  'ai.telemetry.metadata.tags',
  'tag.tags',
];

/** Exact keys that make a non-root span update its trace (beside any `langfuse.trace.*` key). */
const TRACE_UPDATE_KEYS = [...USER_ID_KEYS, ...SESSION_ID_KEYS, ...TAG_KEYS];

export const extractUserId = (attrs: Attributes) => firstString(attrs, USER_ID_KEYS);
export const extractSessionId = (attrs: Attributes) => firstString(attrs, SESSION_ID_KEYS);

/** Tags from an array, a JSON-array string, a comma-separated string or a single string. */
export function extractTags(attrs: Attributes): string[] | undefined {
  let value: unknown;
  for (const key of TAG_KEYS) {
    if (attrs[key]) {
      value = attrs[key];
      break;
    }
  }
  if (value === undefined) return undefined;
  if (Array.isArray(value)) return value.map(asString);
  if (typeof value !== 'string') return [asString(value)];
  if (value.trim().startsWith('[')) {
    try {
      const parsed: unknown = JSON.parse(value);
      if (Array.isArray(parsed)) return parsed.map(asString);
    } catch {
      // not JSON: fall through to the string forms
    }
  }
  if (value.includes(',')) return value.split(',').map((t) => t.trim()).filter((t) => t !== '');
  return [value];
}

/** `true` only for `true`/"true"; `undefined` when neither public attribute is present. */
export function extractPublic(attrs: Attributes): boolean | undefined {
  const value = attrs[LF.TRACE_PUBLIC] ?? attrs['langfuse.public'];
  if (value === undefined || value === null) return undefined;
  return value === true || value === 'true';
}

/** First of `langfuse.environment`, `deployment.environment.name`, `deployment.environment`; each looked up on the span, then the resource. */
export function extractEnvironment(attrs: Attributes, resource: Attributes): string | undefined {
  for (const key of [LF.ENVIRONMENT, 'deployment.environment.name', 'deployment.environment']) {
    if (attrs[key]) return asString(attrs[key]);
    if (resource[key]) return asString(resource[key]);
  }
  return undefined;
}

export const extractRelease = (attrs: Attributes, resource: Attributes) =>
  firstString(attrs, [LF.RELEASE]) ?? firstString(resource, [LF.RELEASE]);

export const extractVersion = (attrs: Attributes, resource: Attributes) =>
  firstString(attrs, [LF.VERSION]) ?? firstString(resource, ['service.version']);

/** Whether a span carries trace-level attributes (so a non-root span updates its trace). */
export function hasTraceUpdates(attrs: Attributes): boolean {
  if (TRACE_UPDATE_KEYS.some((key) => Boolean(attrs[key]))) return true;
  return Object.keys(attrs).some((key) => key.startsWith('langfuse.trace.'));
}
