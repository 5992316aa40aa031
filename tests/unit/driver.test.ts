import { describe, expect, it, vi } from 'vitest';

// A driver compiled for another Node.js fails like this when it is first used.
vi.mock('better-sqlite3', () => ({
  default: class {
    constructor() {
      throw new Error(
        "The module 'better_sqlite3.node' was compiled against a different Node.js version using\nNODE_MODULE_VERSION 140.",
      );
    }
  },
}));

describe('the database driver check', () => {
  it('names the command that rebuilds the driver instead of a stack trace', async () => {
    const { assertDriverLoads } = await import('../../electron/db/driver');
    expect(() => assertDriverLoads()).toThrow(
      /does not load in this Node\.js .*compiled against a different Node\.js version using\nRebuild it with: node build\/scripts\/native\.mjs node$/,
    );
  });
});
