import type { Migration } from './types';

export const migration: Migration = {
  version: 5,
  name: 'funding',
  sql: ``,
};
