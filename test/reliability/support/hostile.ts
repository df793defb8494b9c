// fast-check arbitraries for hostile input: malformed and extreme ids, query strings, JSON
// bodies and ingestion events, aimed at the public API's parsing, validation and SQL.
import fc from 'fast-check';

/** Strings that have broken parsers and SQL before: injections, wildcards, encodings, unicode edge cases. */
export const NASTY_STRINGS = [
  '',
  ' ',
  "'",
  '"',
  '\\',
  "'; DROP TABLE traces; --",
  "' OR '1'='1",
  '1; SELECT pg_sleep(30)',
  '%',
  '_',
  '%_%',
  '*',
  '[',
  '\u0000',
  'a\u0000b',
  '\uD800',
  '\uDFFF',
  'x\uD83D',
  '\u202Etxt.exe',
  '\u200F\u200E',
  '\uFEFF',
  '𝕏😀👩‍👩‍👧‍👦',
  'Ω≈ç√',
  '\r\n',
  '../../etc/passwd',
  '$where',
  '__proto__',
  'constructor',
  'null',
  'undefined',
  'NaN',
  '-1',
  '0',
  '1e309',
  '9223372036854775808',
  '-9223372036854775809',
  '2024-13-45T25:61:61Z',
  '0000-00-00T00:00:00Z',
  '+275760-09-13T00:00:00.001Z',
  '2024-01-01',
  'x'.repeat(10_000),
];

export const nastyString = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom(...NASTY_STRINGS) },
  { weight: 2, arbitrary: fc.string({ unit: 'binary', maxLength: 40 }) },
  { weight: 1, arbitrary: fc.string({ unit: 'grapheme', maxLength: 40 }) },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', minLength: 1000, maxLength: 5000 }) },
);

/** Values of any JSON type, hostile strings included. */
export const anyValue: fc.Arbitrary<unknown> = fc.oneof(
  nastyString,
  fc.integer(),
  fc.double(),
  fc.constantFrom(null, true, false, 0, -1, Number.MAX_SAFE_INTEGER, 1e308, -1e308),
  fc.jsonValue({ maxDepth: 4 }),
  fc.array(nastyString, { maxLength: 5 }),
);

/** A path segment: encoded hostile text, or raw percent sequences that do not decode (lone surrogates, `%zz`). */
export const pathSegment = fc.oneof(
  nastyString.map((s) => encodeURIComponent(s.replace(/[\uD800-\uDFFF]/g, '\uFFFD')) || '%20'),
  fc.constantFrom('%ED%A0%80', '%zz', '%', '%00', '%2F..%2F', '%C0%AF', '..', '%E2%80%AE', 'a%2Fb'),
);

const FILTER_COLUMNS = ['name', 'userId', 'timestamp', 'tags', 'metadata', 'value', 'level', 'id', 'name; DROP TABLE traces', 'x"', ''];
const FILTER_OPERATORS = ['=', '!=', '>', '<', 'contains', 'does not contain', 'starts with', 'ends with', 'any of', 'none of', 'all of', 'LIKE', 'OR 1=1 --', ''];
const FILTER_TYPES = ['string', 'datetime', 'number', 'stringOptions', 'arrayOptions', 'stringObject', 'numberObject', 'boolean', 'null', 'sql'];

/** The `filter` query parameter: Langfuse filter conditions with hostile columns, operators and values, or not JSON at all. */
export const filterParam = fc.oneof(
  fc
    .array(
      fc.record(
        {
          type: fc.constantFrom(...FILTER_TYPES),
          column: fc.constantFrom(...FILTER_COLUMNS),
          operator: fc.constantFrom(...FILTER_OPERATORS),
          value: anyValue,
          key: nastyString,
        },
        { requiredKeys: ['type', 'column', 'operator'] },
      ),
      { maxLength: 4 },
    )
    .map((f) => JSON.stringify(f)),
  nastyString,
  fc.jsonValue({ maxDepth: 3 }).map((v) => JSON.stringify(v)),
);

const QUERY_KEYS = [
  'page', 'limit', 'name', 'userId', 'sessionId', 'traceId', 'type', 'level', 'tags', 'fromTimestamp', 'toTimestamp',
  'fromStartTime', 'toStartTime', 'orderBy', 'fields', 'cursor', 'environment', 'version', 'release', 'value', 'operator',
  'scoreIds', 'dataType', 'source', 'configId', 'queueId', 'parentObservationId', 'observationId', 'traceTags', 'expandMetadata',
  'parseIoAsJson', 'query', 'traceName', 'failIfDatabaseUnavailable', '__proto__', 'constructor',
];

/** A query string: known and unknown keys, repeated keys, hostile values, and malformed encodings. */
export const queryString = fc.oneof(
  { weight: 4, arbitrary: fc
    .array(
      fc.tuple(
        fc.oneof(fc.constantFrom(...QUERY_KEYS), nastyString),
        fc.oneof(nastyString, filterParam, fc.integer().map(String), fc.constantFrom('2024-01-01T00:00:00Z', 'timestamp.desc', 'name.asc', 'core,io,scores', '1e3', '0x10')),
      ),
      { maxLength: 6 },
    )
    .map((pairs) => {
      const q = new URLSearchParams();
      for (const [k, v] of pairs) q.append(k.replace(/[\uD800-\uDFFF]/g, '\uFFFD'), v.replace(/[\uD800-\uDFFF]/g, '\uFFFD'));
      return q.toString();
    }) },
  { weight: 1, arbitrary: fc.constantFrom('filter=%', 'page=%zz', 'limit=%ED%A0%80', '&&&=&', 'a[b][c]=1', 'page=1&page=2&page=%00', 'filter=' + '['.repeat(5000)) },
);

const EVENT_TYPES = [
  'trace-create', 'span-create', 'span-update', 'generation-create', 'generation-update', 'event-create', 'agent-create',
  'tool-create', 'score-create', 'sdk-log', 'observation-create', 'observation-update', 'dataset-run-item-create', 'unknown', '',
];
const timestampArb = fc.oneof(
  fc.date({ noInvalidDate: true }).map((d) => d.toISOString()),
  fc.constantFrom('2024-01-01T00:00:00', 'yesterday', '', '2024-02-30T00:00:00Z', '1970-01-01T00:00:00.000Z', '+275760-09-13T00:00:00.000Z', '-000001-01-01T00:00:00Z'),
  nastyString,
  fc.integer(),
);

/** Bodies of ingestion events: the real field names, each given hostile values. */
export const eventBody = fc.record(
  {
    id: fc.oneof(nastyString, fc.integer()),
    traceId: nastyString,
    parentObservationId: nastyString,
    observationId: nastyString,
    sessionId: nastyString,
    userId: nastyString,
    name: anyValue,
    timestamp: timestampArb,
    startTime: timestampArb,
    endTime: timestampArb,
    completionStartTime: timestampArb,
    input: anyValue,
    output: anyValue,
    metadata: anyValue,
    tags: fc.oneof(fc.array(nastyString, { maxLength: 5 }), anyValue),
    level: fc.constantFrom('DEFAULT', 'ERROR', 'debug', '', 'x'),
    model: nastyString,
    modelParameters: anyValue,
    usage: anyValue,
    usageDetails: fc.oneof(fc.dictionary(nastyString, anyValue, { maxKeys: 4 }), anyValue),
    costDetails: fc.oneof(fc.dictionary(nastyString, anyValue, { maxKeys: 4 }), anyValue),
    value: anyValue,
    dataType: fc.constantFrom('NUMERIC', 'CATEGORICAL', 'BOOLEAN', 'TEXT', 'CORRECTION', 'x'),
    environment: nastyString,
    release: nastyString,
    version: anyValue,
    promptName: nastyString,
    promptVersion: anyValue,
    public: anyValue,
  },
  { requiredKeys: [] },
);

export const ingestionEvent = fc.record(
  { id: fc.oneof(nastyString, fc.integer()), type: fc.constantFrom(...EVENT_TYPES), timestamp: timestampArb, body: fc.oneof({ weight: 5, arbitrary: eventBody }, { weight: 1, arbitrary: anyValue }), metadata: anyValue },
  { requiredKeys: ['type'] },
);

/** Raw request bodies: broken JSON, JSON of the wrong shape, and plausible batches of hostile events. */
export const rawBody: fc.Arbitrary<string> = fc.oneof(
  { weight: 1, arbitrary: fc.constantFrom('', '{', '[', '{"batch":', '{"batch": [', 'null', '"text"', '1e999999', '{"batch": {}}', '{"batch": null}', '{"batch": "x"}', '\uFEFF{}', '{"a":1}{"b":2}', 'NaN', '{"__proto__": {"polluted": true}, "batch": []}') },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 200 }) },
  { weight: 2, arbitrary: fc.jsonValue({ maxDepth: 4 }).map((v) => JSON.stringify(v)) },
  { weight: 6, arbitrary: fc.array(ingestionEvent, { maxLength: 8 }).map((batch) => JSON.stringify({ batch })) },
  { weight: 3, arbitrary: eventBody.map((b) => JSON.stringify(b)) },
);
