import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['tests/unit/**/*.test.ts', 'tests/integration/**/*.test.ts', 'tests/faults/**/*.test.ts'],
    environment: 'node',
    setupFiles: ['tests/key-dir.setup.ts'],
    pool: 'forks',
    testTimeout: 30_000,
  },
});
