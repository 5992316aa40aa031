import fs from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { TOTAL } from '../../shared/returns/channels';
import { returnFileSchema } from '../../shared/returns/file';
import { trustReturnFile } from '../fixtures/ics-trusts';
import { tempDir } from './helpers';

/**
 * A very small trust (a dozen support staff, imported from an extract): hiding its small cells one by one cannot
 * satisfy the audit, as every breakdown is a handful of people. It can still sign off: only its grand totals are
 * published, and the audit passes on that.
 */
const dir = tempDir();
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('a return for a very small trust', () => {
  for (const [staff, seed] of [
    [10, 21],
    [14, 22],
    [16, 25],
  ] as const)
    it(`${staff} staff (seed ${seed}) signs off with only its grand totals published`, async () => {
      const [made] = await trustReturnFile(
        dir,
        { name: 'Tiny Specialist NHS Trust', odsCode: 'RS1', staff, seed },
        { version: 'publication' },
      );
      const file = returnFileSchema.parse(JSON.parse(fs.readFileSync(made!.file, 'utf8')));
      const b1 = file.tables.find((t) => t.id === 'B1')!;
      const grand = b1.cells.find((c) => c.row === TOTAL && c.column === TOTAL && c.measure === 'headcount')!;
      expect(grand.status).toBe(grand.value !== null && grand.value > 7 ? 'exact' : 'suppressed-primary');
      // Nothing below the grand total locates a person: every non-zero count in B1 is hidden.
      for (const c of b1.cells.filter((x) => x.measure === 'headcount' && !(x.row === TOTAL && x.column === TOTAL)))
        expect(c.value === null || c.value === 0, `${c.row}/${c.column}`).toBe(true);
      expect(file.about.disclosure.rules).toMatch(/only the grand totals are published/);
    }, 60_000);
});
