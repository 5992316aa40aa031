import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dispatch } from '../../electron/router';
import type { HandlerContext } from '../../electron/handler';
import type { WorkforceMetrics } from '../../shared/picture/channels';
import type { RoleView, Summary } from '../../shared/workforce/channels';
import { csvText, ESR_HEADERS } from '../fixtures/extracts';
import { sendBytes, tempStore, type TempStore } from './helpers';

/**
 * Issue 10, item 13: vacancy with part of the establishment set showed -4,521.2%. An extract creates 564 roles with
 * no establishment (as every import does); the lead then gives 5 of them 5.0 FTE each (25 FTE). Those five hold
 * 24.0 FTE in post; the other 559 hold 1,131.3 FTE, 1,155.3 FTE in all.
 *   Before: (25 - 1,155.3) / 25 x 100 = -4,521.2%.
 *   Now: vacancy covers only the five roles: (25 - 24) / 25 x 100 = 4.0%, a vacancy of 1.0 FTE, and says that this
 *   covers 24.0 of the 1,155.3 FTE in post: 2.077...% -> 2.1%.
 */

const root = path.resolve(import.meta.dirname, '../..');
const ROLES = 564;
const title = (i: number) => `Support worker ${String(i).padStart(3, '0')}`;

/** People as [role number, hours]: 5 in each of roles 1-5 (4 x 37.5 h + 30 h = 4.8 FTE a role, 24.0 in all), then
 * 2 full-time in each of roles 6-564, 13 more full-time in roles 6-18, and one 11.25 h (0.3 FTE) in role 564:
 * 1,131 x 1.0 + 0.3 = 1,131.3 FTE. */
function people(): [number, number][] {
  const list: [number, number][] = [];
  for (let r = 1; r <= 5; r++) list.push([r, 37.5], [r, 37.5], [r, 37.5], [r, 37.5], [r, 30]);
  for (let r = 6; r <= ROLES; r++) list.push([r, 37.5], [r, 37.5]);
  for (let r = 6; r <= 18; r++) list.push([r, 37.5]);
  list.push([ROLES, 11.25]);
  return list;
}

function extract(): string {
  const rows = people().map(([role, hours], i) => {
    const employee = String(20_000_000 + i);
    return [
      employee,
      `${employee}-1`,
      title(role),
      'S9E',
      'Band 3',
      String(hours),
      '',
      '01/04/2020',
      '',
      '',
      '01/06/1985',
      i % 2 ? 'Male' : 'Female',
      'A White - British',
      'No',
      'Therapies Directorate',
      role % 2 ? 'MSK Physio' : 'Community Therapy',
    ];
  });
  return csvText([[...ESR_HEADERS], ...rows]);
}

async function call<T>(ctx: HandlerContext, channel: string, input: unknown): Promise<T> {
  const result = await dispatch(ctx, channel, input);
  if (!result.ok) throw new Error(`${channel}: ${JSON.stringify(result.error)}`);
  return result.value as T;
}

let t: TempStore;
beforeAll(async () => {
  t = await tempStore();
  const uploadId = await sendBytes(t.ctx, 'extract.csv', extract(), 'staff-extract');
  const inspected = await call<{ guessedMapping: Record<string, number | null> }>(t.ctx, 'import/inspect', {
    uploadId,
  });
  const result = await call<{ added: number; rejected: number }>(t.ctx, 'import/commit', {
    uploadId,
    mapping: inspected.guessedMapping,
    dateOrder: 'dmy',
    extractDate: '2026-03-31',
  });
  expect(result).toMatchObject({ added: 1157, rejected: 0 });
  // The lead sets the establishment of five roles on the Roles tab.
  const roles = await call<RoleView[]>(t.ctx, 'workforce/roles', {});
  expect(roles).toHaveLength(ROLES);
  for (let i = 1; i <= 5; i++) {
    const r = roles.find((x) => x.title === title(i))!;
    await call(t.ctx, 'workforce/post-save', { roleId: r.id, serviceId: r.serviceIds[0], establishmentFte: 5 });
  }
}, 60_000);
afterAll(() => t.cleanup());

const coverage = { roles: 564, rolesWithEstablishment: 5, inPostFte: 24, allInPostFte: 1155.3, percent: 2.1 };
const sentence =
  'Vacancy covers the 5 of 564 post lines with an establishment set: 24.00 of 1,155.30 FTE in post (2.1%).';

describe('vacancy with part of the establishment set (issue 10, item 13)', () => {
  it('the workforce summary counts only roles with an establishment, and says how much that covers', async () => {
    const s = await call<Summary>(t.ctx, 'workforce/summary', { asAt: '2026-03-31' });
    expect(s).toMatchObject({ headcount: 1157, fte: 1155.3, establishmentFte: 25, vacancyFte: 1 });
    expect(s.vacancyCoverage).toEqual(coverage);
    // A role with no establishment has no vacancy (it was -2.00 FTE, "over establishment").
    expect(s.byPost.find((r) => r.title === title(6))).toMatchObject({
      establishmentFte: 0,
      inPostFte: 3,
      vacancyFte: null,
    });
    expect(s.byPost.find((r) => r.title === title(1))).toMatchObject({
      establishmentFte: 5,
      inPostFte: 4.8,
      vacancyFte: 0.2,
    });
  });

  it('the workforce picture gives 4.0%, not -4,521.2%, in all and by service', async () => {
    const m = await call<WorkforceMetrics>(t.ctx, 'picture/metrics', { from: '2025-04-01', to: '2026-03-31' });
    expect(m).toMatchObject({ fteEnd: 1155.3, establishmentFte: 25, inPostFte: 24, vacancyRate: 4 });
    expect(m.vacancyCoverage).toEqual(coverage);
    expect(m.vacancyByRole.find((r) => r.title === title(6))).toMatchObject({ vacancyFte: null, vacancyRate: null });
    // Roles 1, 3, 5 are in MSK Physio (3 x 5.0 FTE funded, 3 x 4.8 in post): (15 - 14.4) / 15 = 4.0%.
    // Roles 2 and 4 are in Community Therapy: (10 - 9.6) / 10 = 4.0%.
    // Roles 1, 3 and 5 are in MSK Physio (3 x 5.0 FTE funded, 3 x 4.8 in post): (15 - 14.4) / 15 = 4.0%. The other
    // 279 odd roles hold 2.0 FTE each and roles 7-17 (odd) one more each: 14.4 + 558 + 6 = 578.4 FTE in post, so the
    // five cover 14.4 / 578.4 = 2.489...% -> 2.5%. Roles 2 and 4 are in Community Therapy: (10 - 9.6) / 10 = 4.0%;
    // 280 even roles of 2.0 FTE, 7 more in roles 6-18 and 0.3 in role 564: 9.6 + 560 + 7 + 0.3 = 576.9 FTE, 1.664...%
    // -> 1.7%.
    expect(
      m.vacancyByService.map((v) => [v.serviceName, v.establishmentFte, v.inPostFte, v.vacancyFte, v.vacancyRate]),
    ).toEqual([
      ['Community Therapy', 10, 9.6, 0.4, 4],
      ['MSK Physio', 15, 14.4, 0.6, 4],
    ]);
    expect(m.vacancyByService.map((v) => v.coverage)).toEqual([
      { roles: 282, rolesWithEstablishment: 2, inPostFte: 9.6, allInPostFte: 576.9, percent: 1.7 },
      { roles: 282, rolesWithEstablishment: 3, inPostFte: 14.4, allInPostFte: 578.4, percent: 2.5 },
    ]);
  });

  it('the command line prints the same coverage', () => {
    const cli = (...args: string[]) =>
      spawnSync(process.execPath, ['build/scripts/run-node.mjs', 'cli', ...args, '--db', t.file], {
        cwd: root,
        encoding: 'utf8',
      });
    const summary = cli('summary', '--as-at', '2026-03-31');
    expect(summary.status).toBe(0);
    expect(summary.stdout).toContain('establishment 25.00 FTE, vacancy 1.00 FTE\n');
    expect(summary.stdout).toContain(sentence);
    const metrics = cli('metrics', '--from', '2025-04-01', '--to', '2026-03-31');
    expect(metrics.status).toBe(0);
    expect(metrics.stdout).toContain('vacancy rate 4.0% (establishment 25.00 FTE, 24.00 FTE in post in those roles)');
    expect(metrics.stdout).toContain(sentence);
    expect(metrics.stdout).not.toContain('-4,521');
  }, 30_000);
});
