import { migration as m001 } from './001-workforce-foundation';
import { migration as m002 } from './002-summary-indexes';
import { migration as m003 } from './003-workforce-import';
import { migration as m004 } from './004-framework-mapping';
import { migration as m005 } from './005-funding';
import { migration as m006 } from './006-picture-indexes';
import { migration as m007 } from './007-import-insert-ranges';
import { migration as m008 } from './008-shorter-pseudonyms';
import { migration as m009 } from './009-readable-by-older-sqlite';
import { migration as m010 } from './010-key-outside-database';
import { migration as m011 } from './011-job-roles';
import { migration as m012 } from './012-returns';
import { migration as m013 } from './013-ics-collected-returns';
import type { Migration } from './types';

export type { Migration } from './types';

/**
 * Numbered schema migrations, one file each. Append only: never edit a migration that has shipped; add the
 * next number. All pending ones run inside the one transaction that brings a database up to date.
 */
export const migrations: Migration[] = [m001, m002, m003, m004, m005, m006, m007, m008, m009, m010, m011, m012, m013];

export const LATEST_SCHEMA_VERSION = migrations[migrations.length - 1]!.version;
