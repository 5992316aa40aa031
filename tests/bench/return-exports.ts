import path from 'node:path';
import { openDatabase, type DB } from '../../electron/db/connection';
import type { Actor } from '../../electron/services/common/audit';
import { exportReturn } from '../../electron/services/returns/export';
import { returnFileBytes } from '../../electron/services/returns/export-file';
import { buildReturn, showReturn, signReturn } from '../../electron/services/returns/states';
import { generateDemoTrust } from '../../electron/services/settings/demo-generate';
import { insertTrust } from '../../electron/services/settings/demo-load';
import { RETURN_EXPORT_FORMATS, type ReturnVersionKind } from '../../shared/returns/channels';
import { returnFileSchema } from '../../shared/returns/file';
import { median, time, type BenchSuite } from './harness';

/**
 * Each export of a 2025/26 return of the demo trust at 100k staff (target under 1 s each; the return's tables are
 * aggregates, so their size grows with professions and bands, not staff). The return is signed off and exported
 * through `exportReturn` (snapshot read, file schema, writer) when its checks allow; while they block sign-off (the
 * disclosure audit on the generated trust), the built draft's content is exported under a sign-off record written
 * here, which skips only the snapshot read.
 */

const actor: Actor = { user: 'bench', now: () => new Date('2026-04-20T10:00:00Z') };

async function exporter(
  db: DB,
  id: number,
): Promise<{ path: string; run: (f: string, v: ReturnVersionKind) => Promise<unknown> }> {
  try {
    signReturn(db, actor, { id, name: 'Bench Lead', role: 'AHP lead', acceptWarnings: 'bench' });
    return {
      path: 'signed-off snapshot',
      run: (format, version) =>
        exportReturn(db, { id, format: format as (typeof RETURN_EXPORT_FORMATS)[number], version }),
    };
  } catch (e) {
    const reason = e instanceof Error ? e.message.split('\n')[0]!.slice(0, 80) : String(e);
    const files = new Map(
      (['publication', 'exact'] as const).map((version) => {
        const v = showReturn(db, id, version);
        const file = returnFileSchema.parse({
          ...v.content,
          return: {
            period: v.period,
            asAt: v.asAt,
            version: v.version,
            correctionReason: null,
            previousHash: null,
            hash: '0'.repeat(64),
            signOff: { name: 'Bench Lead', role: 'AHP lead', user: 'bench', at: '2026-04-20T10:00:00.000Z' },
          },
        });
        return [version, file];
      }),
    );
    return {
      path: `draft content (sign-off refused: ${reason})`,
      run: (format, version) => returnFileBytes(files.get(version)!, format as (typeof RETURN_EXPORT_FORMATS)[number]),
    };
  }
}

export const returnExportsBench: BenchSuite = {
  name: 'return-exports',
  async run({ dir, scale, report }) {
    const staff = scale(100_000);
    const db = await openDatabase(path.join(dir, `returns-${staff}.sqlite`));
    insertTrust(db, generateDemoTrust(staff, 11, '2026-03-31'), true);
    const built = await time(() => buildReturn(db, actor, { period: '2025/26', asAt: null, correctionReason: null }));
    report(`build the 2025/26 return, ${staff.toLocaleString('en-GB')} staff`, built.ms, 'ms', 'for scale');
    const { path: via, run } = await exporter(db, built.value.id);
    console.log(`  exports from the ${via}`);
    for (const version of ['publication', 'exact'] as const)
      for (const format of RETURN_EXPORT_FORMATS) {
        const first = (await time(() => run(format, version))).ms;
        const ms = await median(5, () => run(format, version));
        report(
          `  ${format.toUpperCase()}, ${version} version (median of 5)`,
          ms,
          'ms',
          `target < 1 s; first ${first.toFixed(0)} ms`,
        );
      }
    db.close();
  },
};
