import fs from 'node:fs';
import path from 'node:path';
import { DatabaseStore } from '../../electron/db/store';
import { dispatch } from '../../electron/router';
import { sendFile } from '../../electron/transports/cli-upload';
import { guessEstablishmentMapping } from '../../shared/establishment/fields';
import { guessMapping } from '../../shared/import/fields';
import { ESTABLISHMENT_HEADERS, largeEstablishmentReport } from '../fixtures/establishment';
import { ESR_HEADERS, writeLargeCsv } from '../fixtures/extracts';
import type { BenchSuite } from './harness';

/**
 * Establishment import of 10,000 lines (50 services x 40 job roles: 2,000 post lines, 5 report lines each), upload
 * to commit in one process, beside the staff import of a 10,000-row extract measured the same way on the same
 * machine. First run: every post line is new; second run (another report, other WTE): every post line changes.
 */

const SERVICES = 50;
const TITLES = 40;
/** A bench waits for the whole request: no 'slow request' notes. */
const QUIET = { slowQueryMs: Number.POSITIVE_INFINITY };

export const establishmentBench: BenchSuite = {
  name: 'establishment',
  async run({ dir, scale, report }) {
    const lines = scale(10_000);
    const store = await DatabaseStore.open(path.join(dir, 'establishment.sqlite'));
    const ctx = { store, user: 'bench', now: () => new Date() };
    try {
      const staffFile = path.join(dir, 'staff.csv');
      await writeLargeCsv(staffFile, { rows: lines });
      let started = performance.now();
      const staff = await dispatch(
        ctx,
        'import/commit',
        {
          uploadId: await sendFile(ctx, staffFile, 'staff-extract'),
          mapping: guessMapping([...ESR_HEADERS]),
          acceptRejected: true,
        },
        QUIET,
      );
      if (!staff.ok) throw new Error(staff.error.message);
      const staffMs = performance.now() - started;
      report(
        `staff import, ${lines.toLocaleString('en-GB')} rows (upload to commit)`,
        Math.round(lines / (staffMs / 1000)),
        'rows/s',
        `${staffMs.toFixed(0)} ms`,
      );

      store.db.transaction(() => {
        const service = store.db.prepare('INSERT INTO service (name, cost_centre) VALUES (?, ?)');
        for (let s = 0; s < SERVICES; s++) service.run(`Service ${s}`, `CC${1000 + s}`);
        const role = store.db.prepare(`INSERT OR IGNORE INTO role (title, band, profession_code) VALUES (?, ?, 'OTH')`);
        for (let r = 0; r < TITLES; r++) role.run(`Support worker ${r}`, String(2 + (r % 3)));
      })();

      for (const [run, wte] of [
        ['new posts', '0.75'],
        ['posts changed', '0.8'],
      ] as const) {
        const file = path.join(dir, `establishment-${wte}.csv`);
        fs.writeFileSync(file, largeEstablishmentReport(lines, SERVICES, TITLES, wte));
        started = performance.now();
        const result = await dispatch(
          ctx,
          'establishment/commit',
          {
            uploadId: await sendFile(ctx, file, 'establishment'),
            mapping: guessEstablishmentMapping([...ESTABLISHMENT_HEADERS]),
          },
          QUIET,
        );
        if (!result.ok) throw new Error(result.error.message);
        const ms = performance.now() - started;
        report(
          `establishment, ${lines.toLocaleString('en-GB')} lines (${run})`,
          Math.round(lines / (ms / 1000)),
          'rows/s',
          `${ms.toFixed(0)} ms; ${result.value.created.toLocaleString('en-GB')} new, ${result.value.changed.toLocaleString('en-GB')} changed post lines`,
        );
      }
    } finally {
      store.close();
    }
  },
};
