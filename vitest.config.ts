import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const src = (p: string) => fileURLToPath(new URL(p, import.meta.url));

// Workspace packages resolve to their TypeScript sources in tests, so a test never runs stale dist/.
const alias = {
  '@kestrel/shared/lexicon': src('./shared/src/lexicon/index.ts'),
  '@kestrel/shared/protocol': src('./shared/src/protocol/index.ts'),
  '@kestrel/shared/errors': src('./shared/src/errors/index.ts'),
  '@kestrel/shared': src('./shared/src/index.ts'),
};

export default defineConfig({
  resolve: { alias },
  test: {
    reporters: ['default', './test/summary-reporter.ts'],
    projects: [
      {
        resolve: { alias },
        test: {
          name: 'unit',
          include: ['shared/src/**/*.test.ts', 'agent/src/**/*.test.ts', 'collector-server/src/**/*.test.ts'],
        },
      },
      {
        resolve: { alias },
        test: {
          name: 'contract',
          include: ['test/contract/**/*.test.ts'],
          testTimeout: 30_000,
          hookTimeout: 60_000,
        },
      },
      {
        resolve: { alias },
        test: {
          name: 'e2e',
          include: ['test/e2e/**/*.test.ts'],
          testTimeout: 120_000,
          hookTimeout: 120_000,
          fileParallelism: false,
        },
      },
    ],
  },
});
