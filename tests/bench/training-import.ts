import { execFileSync } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import path from 'node:path';
import { seededRandom, writeLargeCsv } from '../fixtures/extracts';
import type { BenchSuite } from './harness';

/**
 * The training records import at 200,000 rows, beside the staff import's rate on the same machine: a staff extract
 * of 100,000 people is imported first (its rate reported), then a training records extract of two rows a person
 * (Care Certificate, Functional Skills, RQF diplomas, apprenticeships, mandatory training, 1 in 200 rows for a staff
 * number nobody has), each in a child process as the app would run it.
 */

const ROOT = path.resolve(import.meta.dirname, '../..');
export const TRAINING_HEADERS = ['Employee Number', 'Course Title', 'Level', 'Status', 'Start Date', 'Completion Date'];
const COURSES = [
  'Care Certificate',
  'Functional Skills Maths Level 2',
  'Functional Skills English Level 2',
  'Level 2 Diploma in Clinical Healthcare Support',
  'Level 3 Diploma in Healthcare Support',
  'Senior Healthcare Support Worker apprenticeship',
  'Assistant Practitioner (Health) apprenticeship',
  'Foundation degree in Health and Social Care',
  'Fire Safety Awareness',
  'Information Governance',
];
const STATUSES = ['Completed', 'Completed', 'In progress', 'Withdrawn'];

async function writeTrainingCsv(file: string, rows: number, people: number): Promise<void> {
  const random = seededRandom(7);
  const out = createWriteStream(file);
  const pad = (n: number) => String(n).padStart(2, '0');
  const date = (year: number) => `${pad(1 + Math.floor(random() * 28))}/${pad(1 + Math.floor(random() * 12))}/${year}`;
  let batch = [TRAINING_HEADERS.join(',')];
  for (let i = 0; i < rows; i++) {
    const person = i % 200 === 199 ? 90_000_000 + i : 10_000_000 + (i % people);
    const status = STATUSES[Math.floor(random() * STATUSES.length)]!;
    const start = 2015 + Math.floor(random() * 10);
    const course = COURSES[(i + Math.floor(i / people)) % COURSES.length]!;
    batch.push([person, course, '', status, date(start), status === 'Completed' ? date(start + 1) : ''].join(','));
    if (batch.length >= 5000) {
      if (!out.write(batch.join('\r\n') + '\r\n')) await once(out, 'drain');
      batch = [];
    }
  }
  if (batch.length) out.write(batch.join('\r\n') + '\r\n');
  out.end();
  await once(out, 'finish');
}

function child(
  script: string,
  file: string,
  db: string,
): { ms: number; rows: number; added: number; maxRssMb: number } {
  const out = execFileSync(process.execPath, ['--import', 'tsx', script, file, db], {
    cwd: ROOT,
    encoding: 'utf8',
    maxBuffer: 1 << 20,
  });
  return JSON.parse(out.trim().split('\n').at(-1)!) as { ms: number; rows: number; added: number; maxRssMb: number };
}

const perSecond = (rows: number, ms: number) => Math.round(rows / (ms / 1000));

export const trainingImportBench: BenchSuite = {
  name: 'training-import',
  async run({ dir, scale, report }) {
    const people = scale(100_000);
    const rows = scale(200_000);
    const db = path.join(dir, 'training.sqlite');
    const staff = path.join(dir, 'staff.csv');
    await writeLargeCsv(staff, { rows: people });
    const s = child('tests/bench/import-child.ts', staff, db);
    report(
      `staff import, ${people.toLocaleString('en-GB')} rows`,
      perSecond(s.rows, s.ms),
      'rows/s',
      `${s.ms.toFixed(0)} ms, peak RSS ${s.maxRssMb.toFixed(0)} MB`,
    );
    const records = path.join(dir, 'training.csv');
    await writeTrainingCsv(records, rows, people);
    const t = child('tests/bench/training-import-child.ts', records, db);
    report(
      `training records import, ${rows.toLocaleString('en-GB')} rows`,
      perSecond(t.rows, t.ms),
      'rows/s',
      `${t.ms.toFixed(0)} ms, ${t.added.toLocaleString('en-GB')} records added, peak RSS ${t.maxRssMb.toFixed(0)} MB`,
    );
  },
};
