import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import Ajv2020 from 'ajv/dist/2020';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HandlerContext } from '../../electron/handler';
import { CHECKLIST_TABLE, READINESS_TABLE } from '../../electron/services/returns/export-csv';
import { dispatch } from '../../electron/router';
import type { FileData } from '../../shared/common/api';
import { RETURN_EXPORT_FORMATS, type BuildResult, type ReturnView } from '../../shared/returns/channels';
import { returnFileSchema } from '../../shared/returns/file';
import { FORMULA_TEXT } from '../fixtures/return-file';
import { addRole, tempStore, type TempStore } from './helpers';

/**
 * Exports of a signed-off return on a real SQLite file, through the router (as the app and the web host call it)
 * and the command line. The trust has two people alike in everything and a threshold of 1, so the disclosure audit
 * passes and the return can be signed off; hidden cells in each format are covered by tests/unit/return-exports.
 */

const root = path.resolve(import.meta.dirname, '../..');
let t: TempStore;
let signedId: number;
let draftId: number;

async function call<T>(ctx: HandlerContext, channel: string, input: unknown): Promise<T> {
  const result = await dispatch(ctx, channel, input);
  if (!result.ok) throw new Error(`${channel}: ${JSON.stringify(result.error)}`);
  return result.value as T;
}

const exportBytes = async (id: number, format: string, version: 'publication' | 'exact' = 'publication') => {
  const file = await call<FileData>(t.ctx, 'returns/export', { id, format, version });
  return { file, bytes: Buffer.from(file.base64, 'base64') };
};

async function addPerson(serviceId: number, roleId: number) {
  await call(t.ctx, 'workforce/person-save', {
    sex: 'F',
    ethnicCategory: 'A',
    disability: 'no',
    yearOfBirth: 1980,
    assignments: [
      { roleId, serviceId, contractedHours: 37.5, startDate: '2020-01-01', endDate: null, leavingReason: null },
    ],
  });
}

let service: { id: number };
let role: { id: number };

beforeAll(async () => {
  t = await tempStore('exports.sqlite');
  await call(t.ctx, 'settings/organisation-save', {
    name: 'Test Hospitals NHS Trust',
    odsCode: 'RX1',
    ics: 'Test ICS',
    ahpFaculty: 'Test AHP Faculty',
  });
  service = await call<{ id: number }>(t.ctx, 'workforce/service-save', { name: 'MSK', costCentre: null });
  role = await addRole(t.ctx, {
    title: 'Physio assistant',
    serviceId: service.id,
    profession: 'PHY',
    band: '3',
    establishmentFte: 3,
  });
  await addPerson(service.id, role.id);
  await addPerson(service.id, role.id);
  await call(t.ctx, 'returns/settings-save', { threshold: 1 });
  const built = await call<BuildResult>(t.ctx, 'returns/build', { period: '2025/26' });
  expect(built.errors).toEqual([]);
  await call<ReturnView>(t.ctx, 'returns/readiness-save', {
    id: built.id,
    readiness: [
      {
        requirement: 'scope',
        rag: 'green',
        done: FORMULA_TEXT,
        nextActions: [{ action: '@ICS +1', owner: '-Lead', due: '2026-06-30' }],
        risks: '',
      },
    ],
  });
  const signed = await call<ReturnView>(t.ctx, 'returns/sign', {
    id: built.id,
    name: 'A Lead',
    role: 'AHP lead',
    acceptWarnings: 'Agreed with the ICS',
  });
  expect(signed.status).toBe('signed-off');
  signedId = built.id;
  draftId = (await call<BuildResult>(t.ctx, 'returns/build', { period: '2025/26-Q2' })).id;
});
afterAll(() => t.cleanup());

describe('returns/export', () => {
  it('gives the same bytes every time, in every format and both versions, named after the return', async () => {
    for (const format of RETURN_EXPORT_FORMATS)
      for (const version of ['publication', 'exact'] as const) {
        const a = await exportBytes(signedId, format, version);
        const b = await exportBytes(signedId, format, version);
        expect(b.bytes.equals(a.bytes), `${format} ${version}`).toBe(true);
        expect(a.file.fileName).toBe(`ahp-support-return-RX1-2025-26-v1-${version}.${format}`);
      }
    expect((await exportBytes(signedId, 'pdf')).file.mimeType).toBe('application/pdf');
  });

  it('exports the frozen snapshot: a later change to the workforce does not change the file', async () => {
    const before = await Promise.all(RETURN_EXPORT_FORMATS.map((f) => exportBytes(signedId, f)));
    await addPerson(service.id, role.id);
    const after = await Promise.all(RETURN_EXPORT_FORMATS.map((f) => exportBytes(signedId, f)));
    after.forEach((a, i) => expect(a.bytes.equals(before[i]!.bytes), RETURN_EXPORT_FORMATS[i]).toBe(true));
  });

  it('writes a JSON file valid against the checked-in schema, with the return, its hash and the text as typed', async () => {
    const schema = JSON.parse(fs.readFileSync(path.join(root, 'shared/returns/return.schema.json'), 'utf8')) as object;
    const validate = new Ajv2020({ strict: false }).compile(schema);
    const view = await call<ReturnView>(t.ctx, 'returns/show', { id: signedId, version: 'exact' });
    for (const version of ['publication', 'exact'] as const) {
      const json = JSON.parse((await exportBytes(signedId, 'json', version)).bytes.toString('utf8')) as unknown;
      expect(validate(json), JSON.stringify(validate.errors)).toBe(true);
      const file = returnFileSchema.parse(json);
      expect(file).toMatchObject({ schemaVersion: 1, version, return: { hash: view.hash, version: 1 } });
      expect(file.readiness[0]!.done).toBe(FORMULA_TEXT);
      if (version === 'exact') expect(file.tables).toEqual(view.content.tables);
    }
  });

  it('writes the tidy CSV of every table with formula text neutralised', async () => {
    const csv = (await exportBytes(signedId, 'csv')).bytes.toString('utf8');
    const lines = csv.slice(1).split('\r\n');
    expect(lines[0]).toBe(
      'ods_code,period,version,section,table,row_dimension,row,column_dimension,column,measure,value,status',
    );
    const view = await call<ReturnView>(t.ctx, 'returns/show', { id: signedId, version: 'publication' });
    for (const table of view.content.tables) expect(csv).toContain(`RX1,2025/26,1,${table.section},${table.id},`);
    expect(csv).toContain('RX1,2025/26,1,B,B1,stage,Total,profession,PHY,headcount,2,exact');
    expect(csv).toContain(`"'=HYPERLINK(""http://example.invalid"",""click"")"`);
    expect(csv).toContain(",'@ICS +1,");
  });

  it('the README documents every table of the return with its measures, and no table it does not have', async () => {
    const readme = fs.readFileSync(path.join(root, 'README.md'), 'utf8');
    const section = readme.slice(
      readme.indexOf('<!-- section: return-files -->'),
      readme.indexOf('<!-- end section: return-files -->'),
    );
    const documented = new Map(
      [...section.matchAll(/^ {2}\| `([A-Z][\w-]*)` \|(.*)\|$/gm)].map((m) => [m[1]!, m[2]!.split('|').at(-1)!]),
    );
    const view = await call<ReturnView>(t.ctx, 'returns/show', { id: signedId, version: 'publication' });
    const built = view.content.tables;
    expect(built.length).toBeGreaterThan(15);
    for (const table of built) {
      const measures = documented.get(table.id);
      expect(measures, `table ${table.id}`).toBeDefined();
      for (const m of new Set(table.cells.map((c) => c.measure))) expect(measures, table.id).toContain(`\`${m}\``);
    }
    expect([...documented.keys()].sort()).toEqual(
      [...built.map((tb) => tb.id), CHECKLIST_TABLE, READINESS_TABLE].sort(),
    );
  });

  it('refuses a draft, whose figures can still change, and a return that does not exist', async () => {
    const draft = await dispatch(t.ctx, 'returns/export', { id: draftId, format: 'csv' });
    expect(draft).toMatchObject({ ok: false, error: { code: 'conflict' } });
    const missing = await dispatch(t.ctx, 'returns/export', { id: 9999, format: 'csv' });
    expect(missing).toMatchObject({ ok: false, error: { code: 'not-found' } });
    const badFormat = await dispatch(t.ctx, 'returns/export', { id: signedId, format: 'docx' });
    expect(badFormat).toMatchObject({ ok: false, error: { code: 'invalid-input' } });
  });
});

describe('return export on the command line', () => {
  function cli(...args: string[]) {
    const r = spawnSync(process.execPath, ['build/scripts/run-node.mjs', 'cli', ...args, '--db', t.file], {
      cwd: root,
      encoding: 'utf8',
    });
    return { code: r.status, stdout: r.stdout, stderr: r.stderr };
  }

  it('writes the same bytes as the app, for each format and with --exact', async () => {
    for (const format of RETURN_EXPORT_FORMATS) {
      const to = path.join(t.dir, `cli.${format}`);
      const r = cli('return', 'export', String(signedId), '--format', format, '--to', to);
      expect(r.stderr).toBe('');
      expect(r.code).toBe(0);
      expect(r.stdout).toContain(`as ${format.toUpperCase()} to ${to}`);
      expect(fs.readFileSync(to).equals((await exportBytes(signedId, format)).bytes)).toBe(true);
    }
    const exact = path.join(t.dir, 'exact.json');
    expect(cli('return', 'export', String(signedId), '--format', 'json', '--to', exact, '--exact').code).toBe(0);
    expect(fs.readFileSync(exact).equals((await exportBytes(signedId, 'json', 'exact')).bytes)).toBe(true);
  });

  it('exits with code 2 and says what is wrong with bad input', () => {
    const to = path.join(t.dir, 'never.csv');
    const cases: [string[], RegExp][] = [
      [['return', 'export', String(signedId), '--format', 'docx', '--to', to], /Unknown format "docx": use xlsx/],
      [['return', 'export', String(signedId), '--to', to], /needs --format/],
      [['return', 'export', String(signedId), '--format', 'csv'], /needs --to FILE/],
      [['return', 'export', 'abc', '--format', 'csv', '--to', to], /"abc" is not a return ID/],
      [['return', 'export', '9999', '--format', 'csv', '--to', to], /9999/],
      [['return', 'export', String(draftId), '--format', 'csv', '--to', to], /not signed off/],
      [
        ['return', 'export', String(signedId), '--format', 'csv', '--to', path.join(t.dir, 'no-such-folder', 'x.csv')],
        /Cannot write/,
      ],
    ];
    for (const [args, message] of cases) {
      const r = cli(...args);
      expect([r.code, r.stderr], args.join(' ')).toEqual([2, expect.stringMatching(message)]);
    }
    expect(fs.existsSync(to)).toBe(false);
  });
});
