import { defaultServerConditions } from 'vite';
import { defineConfig } from 'vitest/config';

// `source` resolves workspace packages to their TypeScript sources, so tests need no build.
const conditions = ['source', ...defaultServerConditions];

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
