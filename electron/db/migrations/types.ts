export interface Migration {
  version: number;
  name: string;
  sql: string;
  /** Rebuilds tables others refer to: runs with foreign keys off, checked with foreign_key_check before commit. */
  rebuildsTables?: boolean;
}
