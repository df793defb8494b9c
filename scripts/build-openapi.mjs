#!/usr/bin/env node
// Generates packages/server/src/http/openapi.json — Sightline's own OpenAPI document — from the
// upstream Langfuse spec (test/contract/langfuse-openapi.yml, vendored), keeping only the
// operations Sightline implements and the components they reference. The generated JSON is
// committed; test/contract/openapi.test.ts checks it is current.
// Usage: node scripts/build-openapi.mjs [--check] [specPath]
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
export const OUTPUT = join(root, 'packages/server/src/http/openapi.json');
export const DEFAULT_SPEC = resolve(root, 'test/contract/langfuse-openapi.yml');

/** The upstream operations Sightline implements: path → methods. */
export const IMPLEMENTED = {
  '/api/public/health': ['get'],
  '/api/public/ingestion': ['post'],
  '/api/public/otel/v1/traces': ['post'],
  '/api/public/traces': ['get', 'delete'],
  '/api/public/traces/{traceId}': ['get', 'delete'],
  '/api/public/observations': ['get'],
  '/api/public/observations/{observationId}': ['get'],
  '/api/public/v2/observations': ['get'],
  '/api/public/scores': ['post'],
  '/api/public/scores/{scoreId}': ['delete'],
  '/api/public/v2/scores': ['get'],
  '/api/public/v2/scores/{scoreId}': ['get'],
  '/api/public/sessions': ['get'],
  '/api/public/sessions/{sessionId}': ['get'],
  '/api/public/models': ['get', 'post'],
  '/api/public/models/{id}': ['get', 'delete'],
  '/api/public/projects': ['get'],
  '/api/public/v2/prompts': ['get', 'post'],
  '/api/public/v2/prompts/{promptName}': ['get', 'delete'],
  '/api/public/v2/prompts/{name}/versions/{version}': ['patch'],
  '/api/public/v2/datasets': ['get', 'post'],
  '/api/public/v2/datasets/{datasetName}': ['get'],
  '/api/public/dataset-items': ['get', 'post'],
  '/api/public/dataset-items/{id}': ['get', 'delete'],
  '/api/public/dataset-run-items': ['get', 'post'],
  '/api/public/datasets/{datasetName}/runs': ['get'],
  '/api/public/datasets/{datasetName}/runs/{runName}': ['get', 'delete'],
  '/api/public/experiments': ['get'],
  '/api/public/experiment-items': ['get'],
  '/api/public/media': ['post'],
  '/api/public/media/{mediaId}': ['get', 'patch'],
  '/api/public/v3/scores': ['get'],
  '/api/public/score-configs': ['get', 'post'],
  '/api/public/score-configs/{configId}': ['get', 'patch'],
  '/api/public/comments': ['get', 'post'],
  '/api/public/comments/{commentId}': ['get'],
  '/api/public/annotation-queues': ['get', 'post'],
  '/api/public/annotation-queues/{queueId}': ['get'],
  '/api/public/annotation-queues/{queueId}/items': ['get', 'post'],
  '/api/public/annotation-queues/{queueId}/items/{itemId}': ['get', 'patch', 'delete'],
  '/api/public/annotation-queues/{queueId}/assignments': ['post', 'delete'],
  '/api/public/llm-connections': ['get', 'put'],
  '/api/public/llm-connections/{id}': ['delete'],
  '/api/public/unstable/evaluators': ['get', 'post'],
  '/api/public/unstable/evaluators/{evaluatorId}': ['get', 'delete'],
  '/api/public/unstable/evaluation-rules': ['get', 'post'],
  '/api/public/unstable/evaluation-rules/{evaluationRuleId}': ['get', 'patch', 'delete'],
};

export function readSpec(specPath = DEFAULT_SPEC) {
  // The upstream file reuses its `security` block through YAML aliases; the alias count is not a threat here.
  return parse(readFileSync(specPath, 'utf8'), { maxAliasCount: -1 });
}

/** The filtered document (a plain JSON value). Throws when an implemented operation is missing upstream. */
export function buildOpenApi(spec) {
  const paths = {};
  for (const [path, methods] of Object.entries(IMPLEMENTED)) {
    const item = spec.paths?.[path];
    if (!item) throw new Error(`upstream spec has no path ${path}`);
    paths[path] = {};
    for (const method of methods) {
      if (!item[method]) throw new Error(`upstream spec has no ${method.toUpperCase()} ${path}`);
      paths[path][method] = item[method];
    }
    if (item.parameters) paths[path].parameters = item.parameters;
  }
  // Keep only the component schemas reachable from the kept operations.
  const schemas = spec.components?.schemas ?? {};
  const keep = new Set();
  const visit = (node) => {
    if (Array.isArray(node)) return node.forEach(visit);
    if (!node || typeof node !== 'object') return;
    for (const [key, value] of Object.entries(node)) {
      if (key === '$ref' && typeof value === 'string') {
        const m = /^#\/components\/schemas\/(.+)$/.exec(value);
        if (!m) throw new Error(`unsupported $ref ${value}`);
        const name = m[1];
        if (!keep.has(name)) {
          if (!schemas[name]) throw new Error(`dangling $ref ${value}`);
          keep.add(name);
          visit(schemas[name]);
        }
      } else visit(value);
    }
  };
  visit(paths);
  const keptSchemas = Object.fromEntries([...keep].sort().map((name) => [name, schemas[name]]));
  return {
    openapi: spec.openapi,
    info: {
      title: 'Sightline public API',
      version: spec.info?.version || '0.1.0',
      description:
        'The Langfuse-compatible subset of the public API that Sightline implements, taken from the upstream Langfuse OpenAPI document. ' +
        'Authenticate with Basic auth: username = public key, password = secret key.',
    },
    paths,
    components: { schemas: keptSchemas, securitySchemes: spec.components?.securitySchemes ?? {} },
  };
}

export function render(doc) {
  return `${JSON.stringify(doc, null, 2)}\n`;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const args = process.argv.slice(2);
  const check = args.includes('--check');
  const specPath = resolve(args.find((a) => !a.startsWith('--')) ?? DEFAULT_SPEC);
  if (!existsSync(specPath)) {
    console.error(`build-openapi: upstream spec not found at ${specPath}`);
    process.exit(2);
  }
  const text = render(buildOpenApi(readSpec(specPath)));
  if (check) {
    const current = existsSync(OUTPUT) ? readFileSync(OUTPUT, 'utf8') : '';
    if (current !== text) {
      console.error(`build-openapi: ${OUTPUT} is out of date; run node scripts/build-openapi.mjs`);
      process.exit(1);
    }
    console.log('build-openapi: up to date');
  } else {
    writeFileSync(OUTPUT, text);
    console.log(`build-openapi: wrote ${OUTPUT}`);
  }
}
