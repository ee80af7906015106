import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const src = (p: string) => fileURLToPath(new URL(p, import.meta.url));

// Tests run against the TypeScript sources of sibling packages, not their build output.
export const workspaceAliases = {
  '@svcpath/core': src('./packages/core/src/index.ts'),
  '@svcpath/demo': src('./packages/demo/src/index.ts'),
  '@svcpath/test-apiserver': src('./packages/test-apiserver/src/index.ts'),
  '@svcpath/server': src('./apps/server/src/index.ts'),
};

export default defineConfig({
  resolve: { alias: workspaceAliases },
  test: {
    include: ['packages/*/src/**/*.test.ts', 'apps/*/src/**/*.test.ts', 'apps/web/src/**/*.test.tsx'],
    testTimeout: 30_000,
    pool: 'forks',
  },
});
