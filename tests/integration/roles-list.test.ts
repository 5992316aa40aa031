import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { dispatch } from '../../electron/router';
import type { Result } from '../../shared/common/api';
import { addRole, tempStore, type TempStore } from './helpers';

const cleanups: (() => void)[] = [];
afterEach(() => cleanups.splice(0).forEach((c) => c()));
async function store(): Promise<TempStore> {
  const t = await tempStore();
  cleanups.push(t.cleanup);
  return t;
}
function value<T>(r: Result<T>): T {
  if (!r.ok) throw new Error(`${r.error.code}: ${r.error.message} ${JSON.stringify(r.error.details ?? {})}`);
  return r.value;
}

/** Two services; a role in the first with 2 FTE and a budget, a second role in no service yet. */
async function trust(t: TempStore) {
  const acute = value(await dispatch(t.ctx, 'workforce/service-save', { name: 'Acute therapies', costCentre: '' }));
  const community = value(await dispatch(t.ctx, 'workforce/service-save', { name: 'Community rehab', costCentre: '' }));
  const rehab = await addRole(t.ctx, {
    title: 'Rehabilitation assistant',
    serviceId: acute.id,
    profession: 'PHY',
    band: '3',
    establishmentFte: 2,
  });
  value(
    await dispatch(t.ctx, 'workforce/post-save', {
      roleId: rehab.id,
      serviceId: acute.id,
      establishmentFte: 2,
      budgetPence: 6_000_000,
    }),
  );
  const ap = value(
    await dispatch(t.ctx, 'workforce/role-save', { title: 'Assistant practitioner', band: '4', profession: 'OT' }),
  );
  return { acute: acute.id, community: community.id, rehab: rehab.id, ap: ap.id };
}

function postLines(t: TempStore) {
  return t.store.db
    .prepare(
      'SELECT role_id AS roleId, service_id AS serviceId, establishment_fte_centi AS centi, budget_pence AS budget FROM post ORDER BY role_id, service_id',
    )
    .all();
}
const auditRows = (t: TempStore) =>
  t.store.db.prepare(`SELECT count(*) FROM audit WHERE entity = 'post'`).pluck().get() as number;

describe('workforce/posts-save (the Roles list: set establishment for several roles)', () => {
  it('updates lines that exist, makes the ones that do not, keeps budgets not given, and audits each', async () => {
    const t = await store();
    const ids = await trust(t);
    const auditBefore = auditRows(t);
    const result = value(
      await dispatch(t.ctx, 'workforce/posts-save', {
        lines: [
          { roleId: ids.rehab, serviceId: ids.acute, establishmentFte: 3.25 },
          { roleId: ids.ap, serviceId: ids.acute, establishmentFte: 3.25 },
          { roleId: ids.rehab, serviceId: ids.community, establishmentFte: 1, budgetPence: 3_100_000 },
        ],
      }),
    );
    expect(result).toEqual({ updated: 1, created: 2 });
    expect(postLines(t)).toEqual([
      { roleId: ids.rehab, serviceId: ids.acute, centi: 325, budget: 6_000_000 },
      { roleId: ids.rehab, serviceId: ids.community, centi: 100, budget: 3_100_000 },
      { roleId: ids.ap, serviceId: ids.acute, centi: 325, budget: null },
    ]);
    expect(auditRows(t) - auditBefore).toBe(3);

    // The same again changes nothing and audits nothing.
    const again = value(
      await dispatch(t.ctx, 'workforce/posts-save', {
        lines: [{ roleId: ids.rehab, serviceId: ids.acute, establishmentFte: 3.25 }],
      }),
    );
    expect(again).toEqual({ updated: 0, created: 0 });
    expect(auditRows(t) - auditBefore).toBe(3);

    const roles = value(await dispatch(t.ctx, 'workforce/roles', {}));
    expect(roles.find((r) => r.id === ids.rehab)).toMatchObject({ serviceCount: 2, establishmentFte: 4.25 });
  });

  it('refuses bad input with a clear message and writes nothing', async () => {
    const t = await store();
    const ids = await trust(t);
    const before = postLines(t);
    const auditBefore = auditRows(t);
    const refused = async (lines: unknown[], message: RegExp) => {
      const result = await dispatch(t.ctx, 'workforce/posts-save', { lines } as never);
      expect(result.ok).toBe(false);
      if (!result.ok)
        expect(`${result.error.message} ${Object.values(result.error.details ?? {}).join(' ')}`).toMatch(message);
      expect(postLines(t)).toEqual(before);
      expect(auditRows(t)).toBe(auditBefore);
    };
    // A good line first: the bad one after it must undo it too.
    await refused(
      [
        { roleId: ids.ap, serviceId: ids.acute, establishmentFte: 1 },
        { roleId: 9999, serviceId: ids.community, establishmentFte: 1 },
      ],
      /There is no role\(s\) 9999.*Nothing was saved/,
    );
    await refused([{ roleId: ids.ap, serviceId: 777, establishmentFte: 1 }], /no service\(s\) 777/);
    await refused(
      [
        { roleId: ids.rehab, serviceId: ids.acute, establishmentFte: 5 },
        { roleId: ids.rehab, serviceId: ids.acute, establishmentFte: 6 },
      ],
      /listed twice/,
    );
    await refused([{ roleId: ids.rehab, serviceId: ids.acute, establishmentFte: -1 }], /negative/);
    await refused([{ roleId: ids.rehab, serviceId: ids.acute, establishmentFte: 1.234 }], /2 decimal places/);
    await refused([], /at least one role/);
  });
});

describe('roles on the command line', () => {
  const root = path.resolve(import.meta.dirname, '../..');
  const cli = (...args: string[]) => {
    const r = spawnSync(process.execPath, ['build/scripts/run-node.mjs', 'cli', ...args], {
      cwd: root,
      encoding: 'utf8',
    });
    return { code: r.status, stdout: r.stdout, stderr: r.stderr };
  };

  it('lists every role with band, main profession, services, staff, establishment and stage; --search narrows it', async () => {
    const t = await store();
    const ids = await trust(t);
    value(
      await dispatch(t.ctx, 'workforce/posts-save', {
        lines: [{ roleId: ids.rehab, serviceId: ids.community, establishmentFte: 1.5 }],
      }),
    );
    value(
      await dispatch(t.ctx, 'workforce/person-save', {
        yearOfBirth: 1990,
        sex: 'F',
        ethnicCategory: 'A',
        disability: 'no',
        assignments: [
          {
            roleId: ids.rehab,
            serviceId: ids.acute,
            contractedHours: 37.5,
            startDate: '2024-01-01',
            endDate: null,
            leavingReason: '',
          },
        ],
      }),
    );
    value(
      await dispatch(t.ctx, 'framework/mapping-bulk', {
        action: 'set-stage',
        roleIds: [ids.rehab],
        stage: 'intermediate',
      }),
    );
    t.store.close();

    const all = cli('roles', '--json', '--db', t.file);
    expect(all.stderr).toBe('');
    expect(all.code).toBe(0);
    const parsed = JSON.parse(all.stdout) as { total: number; matching: number; roles: Record<string, unknown>[] };
    expect(parsed).toMatchObject({ total: 2, matching: 2 });
    expect(parsed.roles).toEqual([
      {
        id: ids.ap,
        title: 'Assistant practitioner',
        band: '4',
        profession: 'OT',
        professionName: 'Occupational therapy',
        mixed: null,
        services: [],
        headcount: 0,
        inPostFte: 0,
        establishmentFte: 0,
        stage: null,
        mappingStatus: null,
      },
      expect.objectContaining({
        id: ids.rehab,
        title: 'Rehabilitation assistant',
        services: ['Acute therapies', 'Community rehab'],
        headcount: 1,
        inPostFte: 1,
        establishmentFte: 3.5,
        stage: 'intermediate',
        mappingStatus: 'draft',
      }),
    ]);

    const text = cli('roles', '--search', 'rehab assist', '--db', t.file);
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(/^1 of 2 roles matching "rehab assist"/);
    expect(text.stdout).toMatch(
      /Rehabilitation assistant\s+3\s+Physiotherapy\s+Acute therapies; Community rehab\s+1\s+1\.00\s+3\.50\s+Intermediate \(draft\)/,
    );
    expect(text.stdout).not.toContain('Assistant practitioner');
  });
});
