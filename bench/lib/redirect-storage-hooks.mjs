// Module resolution hooks for redirect-storage.mjs (they run on the loader thread).
let target = null;

export function initialize(data) {
  target = data;
}

export function resolve(specifier, context, next) {
  if (specifier === '@sightline/storage' && target) return { url: target, shortCircuit: true };
  return next(specifier, context);
}
