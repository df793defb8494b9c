#!/usr/bin/env node
// Enforces DESIGN.md's dependency rules over packages/*/src:
//   - @sightline/core imports no other @sightline package;
//   - storage and sdk import only core; web never imports server or storage, except the server's
//     types-only module of UI API responses (`import type … from '@sightline/server/api-types'`);
//   - every @sightline/x a package imports is declared in its package.json (type-only imports may
//     be devDependencies: they are erased at runtime);
//   - a package never reaches into another package's files by relative path;
//   - no import cycles between packages, and no value-import cycles between files
//     (`import type` / all-`type` specifier lists are erased at runtime, so they are not edges).
// Usage: node scripts/check-deps.mjs [rootDir]   (rootDir defaults to the repository root)
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

const SCOPE = '@sightline/';
/** Which @sightline packages each package may import; packages not listed here are free (cycles aside). */
const ALLOWED = { core: [], storage: ['core'], sdk: ['core'] };
const FORBIDDEN = { web: ['server', 'storage'] };
/** Modules a package may import despite FORBIDDEN, with `import type` only. */
const TYPE_ONLY_EXCEPTIONS = { web: ['@sightline/server/api-types'] };

const root = resolve(process.argv[2] ?? join(dirname(fileURLToPath(import.meta.url)), '..'));
const violations = [];
const rel = (file) => relative(root, file).split(sep).join('/');
const report = (file, line, message) => violations.push({ where: `${rel(file)}:${line}`, message });

// ---- discover packages and source files ----------------------------------------------------

const packagesDir = join(root, 'packages');
const packages = [];
for (const dir of existsSync(packagesDir) ? readdirSync(packagesDir).sort() : []) {
  const manifestPath = join(packagesDir, dir, 'package.json');
  if (!existsSync(manifestPath)) continue;
  const manifest = JSON.parse(readFileSync(manifestPath, 'utf8'));
  const deps = new Set(Object.keys({ ...manifest.dependencies, ...manifest.peerDependencies, ...manifest.optionalDependencies }));
  const devDeps = new Set(Object.keys({ ...manifest.devDependencies }));
  const src = join(packagesDir, dir, 'src');
  packages.push({ name: manifest.name ?? dir, short: shortName(manifest.name ?? dir), dir: join(packagesDir, dir), src, deps, devDeps, files: listSources(src) });
}
const byName = new Map(packages.map((p) => [p.name, p]));

function shortName(name) {
  return name.startsWith(SCOPE) ? name.slice(SCOPE.length) : name;
}

function listSources(dir) {
  if (!existsSync(dir)) return [];
  const out = [];
  for (const entry of readdirSync(dir).sort()) {
    if (entry === 'node_modules' || entry === 'dist') continue;
    const path = join(dir, entry);
    if (statSync(path).isDirectory()) out.push(...listSources(path));
    else if (/\.(m|c)?tsx?$/.test(entry) && !/\.d\.(m|c)?ts$/.test(entry)) out.push(path);
  }
  return out;
}

// ---- extract imports -------------------------------------------------------------------------

/** Every module reference in a file: `{ spec, line, typeOnly }`. */
function importsOf(file) {
  const text = readFileSync(file, 'utf8');
  const sf = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true, file.endsWith('x') ? ts.ScriptKind.TSX : ts.ScriptKind.TS);
  const found = [];
  const add = (specNode, node, typeOnly) => {
    if (!specNode || !ts.isStringLiteralLike(specNode)) return;
    const line = sf.getLineAndCharacterOfPosition(node.getStart(sf)).line + 1;
    found.push({ spec: specNode.text, line, typeOnly });
  };
  const allTypeOnly = (elements) => elements.length > 0 && elements.every((e) => e.isTypeOnly);
  const visit = (node) => {
    if (ts.isImportDeclaration(node)) {
      const clause = node.importClause;
      const typeOnly =
        !!clause &&
        (clause.isTypeOnly || (!clause.name && !!clause.namedBindings && ts.isNamedImports(clause.namedBindings) && allTypeOnly(clause.namedBindings.elements)));
      add(node.moduleSpecifier, node, typeOnly);
    } else if (ts.isExportDeclaration(node) && node.moduleSpecifier) {
      const typeOnly = node.isTypeOnly || (!!node.exportClause && ts.isNamedExports(node.exportClause) && allTypeOnly(node.exportClause.elements));
      add(node.moduleSpecifier, node, typeOnly);
    } else if (ts.isImportEqualsDeclaration(node) && ts.isExternalModuleReference(node.moduleReference)) {
      add(node.moduleReference.expression, node, node.isTypeOnly);
    } else if (ts.isCallExpression(node) && node.expression.kind === ts.SyntaxKind.ImportKeyword) {
      add(node.arguments[0], node, false);
    } else if (ts.isImportTypeNode(node) && ts.isLiteralTypeNode(node.argument)) {
      add(node.argument.literal, node, true);
    }
    ts.forEachChild(node, visit);
  };
  visit(sf);
  return found;
}

/** `./x.js` → `./x.ts` | `./x.tsx` | `./x/index.ts`; undefined when nothing matches (tsc reports that). */
function resolveRelative(fromFile, spec) {
  const base = resolve(dirname(fromFile), spec);
  const stem = base.replace(/\.(m|c)?jsx?$/, '');
  const candidates = [base, `${stem}.ts`, `${stem}.tsx`, `${stem}.mts`, `${stem}.cts`, join(base, 'index.ts'), join(base, 'index.tsx')];
  return candidates.find((c) => /\.(m|c)?tsx?$/.test(c) && existsSync(c) && statSync(c).isFile());
}

function packageOfFile(file) {
  return packages.find((p) => file === p.dir || file.startsWith(p.dir + sep));
}

// ---- walk every file ---------------------------------------------------------------------------

const fileEdges = new Map(); // file -> [{ to, line }] (value imports only)
const pkgEdges = new Map(); // package name -> Map(package name -> { file, line })
let importCount = 0;

const addPkgEdge = (from, to, file, line) => {
  if (!pkgEdges.has(from.name)) pkgEdges.set(from.name, new Map());
  const edges = pkgEdges.get(from.name);
  if (!edges.has(to.name)) edges.set(to.name, { file, line });
};

for (const pkg of packages) {
  for (const file of pkg.files) {
    const edges = [];
    fileEdges.set(file, edges);
    const isTest = /\.test\.(m|c)?tsx?$/.test(file);
    for (const { spec, line, typeOnly } of importsOf(file)) {
      importCount++;
      if (spec.startsWith('.')) {
        const target = resolveRelative(file, spec);
        if (!target) continue;
        const owner = packageOfFile(target);
        if (owner && owner !== pkg) {
          report(file, line, `imports ${owner.name}'s file ${rel(target)} by relative path; import '${owner.name}' instead`);
          checkPackageImport(pkg, owner, file, line, isTest, spec, typeOnly);
        } else if (!typeOnly) {
          edges.push({ to: target, line });
        }
        continue;
      }
      if (!spec.startsWith(SCOPE)) continue;
      const targetName = spec.split('/').slice(0, 2).join('/');
      if (targetName === pkg.name) continue; // self-reference through the package's own exports
      const target = byName.get(targetName) ?? { name: targetName, short: shortName(targetName) };
      checkPackageImport(pkg, target, file, line, isTest, spec, typeOnly);
    }
  }
}

function checkPackageImport(pkg, target, file, line, isTest, spec, typeOnly) {
  const allowed = ALLOWED[pkg.short];
  if (allowed && !allowed.includes(target.short)) {
    const may = allowed.length ? `only ${allowed.map((s) => SCOPE + s).join(', ')}` : `no other ${SCOPE}* package`;
    report(file, line, `${pkg.name} must not import ${target.name} (it may import ${may})`);
  }
  if (FORBIDDEN[pkg.short]?.includes(target.short)) {
    const exception = TYPE_ONLY_EXCEPTIONS[pkg.short]?.includes(spec);
    if (!exception) report(file, line, `${pkg.name} must never import ${target.name}`);
    else if (!typeOnly) report(file, line, `${pkg.name} may import only types from ${spec} (use \`import type\`)`);
  }
  if (!pkg.deps.has(target.name) && !((isTest || typeOnly) && pkg.devDeps.has(target.name))) {
    report(file, line, `imports ${target.name}, which is not declared in ${rel(join(pkg.dir, 'package.json'))} dependencies`);
  }
  if (byName.has(target.name)) addPkgEdge(pkg, target, file, line);
}

// ---- cycles ------------------------------------------------------------------------------------

/** Strongly connected components (Tarjan) of `graph: Map<node, node[]>`; returns those that form a cycle. */
function cyclicComponents(graph) {
  let counter = 0;
  const index = new Map();
  const low = new Map();
  const stack = [];
  const onStack = new Set();
  const out = [];
  const strongConnect = (v) => {
    index.set(v, counter);
    low.set(v, counter++);
    stack.push(v);
    onStack.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!index.has(w)) {
        strongConnect(w);
        low.set(v, Math.min(low.get(v), low.get(w)));
      } else if (onStack.has(w)) {
        low.set(v, Math.min(low.get(v), index.get(w)));
      }
    }
    if (low.get(v) === index.get(v)) {
      const component = [];
      let w;
      do {
        w = stack.pop();
        onStack.delete(w);
        component.push(w);
      } while (w !== v);
      if (component.length > 1 || (graph.get(v) ?? []).includes(v)) out.push(component);
    }
  };
  for (const v of graph.keys()) if (!index.has(v)) strongConnect(v);
  return out;
}

/** One concrete cycle through `start` inside `component` (BFS back to start): [start, …, start]. */
function cycleThrough(graph, component, start) {
  const members = new Set(component);
  const prev = new Map();
  const queue = [start];
  while (queue.length) {
    const v = queue.shift();
    for (const w of graph.get(v) ?? []) {
      if (!members.has(w)) continue;
      if (w === start) {
        const path = [start];
        for (let x = v; x !== start; x = prev.get(x)) path.splice(1, 0, x);
        return [...path, start];
      }
      if (!prev.has(w)) {
        prev.set(w, v);
        queue.push(w);
      }
    }
  }
  return [start, start];
}

const pkgGraph = new Map(packages.map((p) => [p.name, [...(pkgEdges.get(p.name)?.keys() ?? [])]]));
for (const component of cyclicComponents(pkgGraph)) {
  const start = [...component].sort()[0];
  const path = cycleThrough(pkgGraph, component, start);
  const first = pkgEdges.get(path[0]).get(path[1]);
  const steps = path.slice(0, -1).map((from, i) => {
    const edge = pkgEdges.get(from).get(path[i + 1]);
    return `${from} → ${path[i + 1]} (${rel(edge.file)}:${edge.line})`;
  });
  report(first.file, first.line, `package import cycle: ${steps.join(', ')}`);
}

const fileGraph = new Map([...fileEdges].map(([file, edges]) => [file, [...new Set(edges.map((e) => e.to))]]));
for (const component of cyclicComponents(fileGraph)) {
  const start = [...component].sort()[0];
  const path = cycleThrough(fileGraph, component, start);
  const lineOf = (from, to) => fileEdges.get(from).find((e) => e.to === to).line;
  const steps = path.slice(0, -1).map((from, i) => `${rel(from)}:${lineOf(from, path[i + 1])}`);
  const extra = component.length > path.length - 1 ? ` (${component.length} files in this cycle group)` : '';
  report(start, lineOf(path[0], path[1]), `file import cycle: ${steps.join(' → ')} → ${rel(start)}${extra}`);
}

// ---- result ------------------------------------------------------------------------------------

const fileCount = packages.reduce((n, p) => n + p.files.length, 0);
if (violations.length) {
  for (const v of violations) console.error(`${v.where}: ${v.message}`);
  console.error(`check-deps: ${violations.length} violation(s) in ${fileCount} files of ${packages.length} packages`);
  process.exit(1);
}
console.log(`check-deps: OK — ${packages.length} packages, ${fileCount} files, ${importCount} imports; no layering, declaration or cycle violations`);
