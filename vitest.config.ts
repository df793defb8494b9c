import { defaultServerConditions } from 'vite';
import { defineConfig } from 'vitest/config';

// `source` resolves workspace packages to their TypeScript sources, so tests need no build.
// `module` is left out: it makes Node load some packages' (OpenTelemetry's) unbundled ESM builds,
// whose extensionless imports only a bundler can resolve.
const conditions = ['source', ...defaultServerConditions.filter((c) => c !== 'module')];

export default defineConfig({
  resolve: { conditions },
  ssr: { resolve: { conditions } },
  test: {
    include: ['packages/*/src/**/*.test.ts', 'test/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: 'forks',
  },
});
