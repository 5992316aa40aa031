import type { Migration } from './types';

export const migration: Migration = {
  version: 3,
  name: 'workforce import',
  sql: ``,
};
