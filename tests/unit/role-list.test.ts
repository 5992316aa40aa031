import { describe, expect, it } from 'vitest';
import type { RoleView } from '../../shared/workforce/channels';
import {
  NO_FILTER,
  filterRoles,
  roleLabel,
  roleList,
  roleToKeep,
  sortRoles,
  restDrawn,
  topAndRest,
  type RoleFilter,
} from '../../shared/workforce/role-list';

const role = (id: number, over: Partial<RoleView>): RoleView => ({
  id,
  title: 'Therapy assistant',
  band: '3',
  profession: 'PHY',
  professionName: 'Physiotherapy',
  occupationCode: 'S9E',
  mixed: null,
  serviceCount: 1,
  serviceIds: [1],
  services: 'Acute therapies',
  establishmentFte: 0,
  inPostFte: 0,
  headcount: 0,
  stage: null,
  mappingStatus: null,
  conflicts: 0,
  ...over,
});

const roles: RoleView[] = [
  role(1, { title: 'Therapy assistant', band: '3', headcount: 12, inPostFte: 10.5, stage: 'intermediate' }),
  role(2, {
    title: 'Rehabilitation support worker',
    band: '2',
    profession: 'OT',
    professionName: 'Occupational therapy',
    occupationCode: 'S7E',
    serviceCount: 2,
    serviceIds: [1, 2],
    services: 'Acute therapies; Community rehab',
    establishmentFte: 4,
    headcount: 3,
    inPostFte: 2.6,
    stage: 'entry',
    mappingStatus: 'agreed',
  }),
  role(3, { title: 'Assistant practitioner', band: '4', serviceIds: [2], services: 'Community rehab', stage: null }),
  role(4, {
    title: 'therapy assistant',
    band: '2',
    headcount: 1,
    inPostFte: 1,
    mappingStatus: 'draft',
    stage: 'entry',
  }),
  role(10, { title: 'Therapy assistant 10', band: '3' }),
  role(9, { title: 'Therapy assistant 9', band: '3' }),
];

const ids = (list: RoleView[]) => list.map((r) => r.id);
const filter = (over: Partial<RoleFilter>) => filterRoles(roles, { ...NO_FILTER, ...over });

describe('filterRoles', () => {
  it('keeps every role with no filter', () => {
    expect(ids(filter({}))).toEqual([1, 2, 3, 4, 10, 9]);
  });

  it('searches every word, ignoring case, across title, band, profession, code and services', () => {
    // Role 3 is an assistant practitioner in Physiotherapy: "therapy" and "assist" are both in it.
    expect(ids(filter({ search: 'THERAPY   assist' }))).toEqual([1, 3, 4, 10, 9]);
    expect(ids(filter({ search: 'community' }))).toEqual([2, 3]);
    expect(ids(filter({ search: 's7e' }))).toEqual([2]);
    expect(ids(filter({ search: 'occupational support' }))).toEqual([2]);
    expect(ids(filter({ search: 'band 4' }))).toEqual([3]);
    expect(ids(filter({ search: 'occupational practitioner' }))).toEqual([]);
  });

  it('filters by profession, band and service (a role in several services is in each)', () => {
    expect(ids(filter({ profession: 'OT' }))).toEqual([2]);
    expect(ids(filter({ band: '2' }))).toEqual([2, 4]);
    expect(ids(filter({ serviceId: 2 }))).toEqual([2, 3]);
    expect(ids(filter({ serviceId: 1, band: '3' }))).toEqual([1, 10, 9]);
  });

  it('filters by stage (none = no stage chosen), mapping status and staff in post', () => {
    expect(ids(filter({ stage: 'entry' }))).toEqual([2, 4]);
    expect(ids(filter({ stage: 'none' }))).toEqual([3, 10, 9]);
    expect(ids(filter({ mapping: 'unmapped' }))).toEqual([1, 3, 10, 9]);
    expect(ids(filter({ mapping: 'agreed' }))).toEqual([2]);
    expect(ids(filter({ staff: 'with' }))).toEqual([1, 2, 4]);
    expect(ids(filter({ staff: 'without' }))).toEqual([3, 10, 9]);
    expect(ids(filter({ staff: 'with', mapping: 'unmapped' }))).toEqual([1]);
  });
});

describe('sortRoles', () => {
  it('sorts titles ignoring case with numbers in order, ties by band then id', () => {
    // "therapy assistant" band 2 and "Therapy assistant" band 3 are equal titles: band 2 first.
    expect(ids(sortRoles(roles, { key: 'title', desc: false }))).toEqual([3, 2, 4, 1, 9, 10]);
  });

  it('sorts numbers either way, ties by title', () => {
    expect(ids(sortRoles(roles, { key: 'headcount', desc: true }))).toEqual([1, 2, 4, 3, 9, 10]);
    expect(ids(sortRoles(roles, { key: 'inPostFte', desc: false })).slice(0, 3)).toEqual([3, 9, 10]);
    expect(ids(sortRoles(roles, { key: 'services', desc: true }))[0]).toBe(2);
  });

  it('puts roles with no stage last in both directions', () => {
    expect(ids(sortRoles(roles, { key: 'stage', desc: false }))).toEqual([2, 4, 1, 3, 9, 10]);
    expect(ids(sortRoles(roles, { key: 'stage', desc: true }))).toEqual([1, 2, 4, 3, 9, 10]);
  });

  it('does not reorder the list it was given', () => {
    const before = ids(roles);
    sortRoles(roles, { key: 'band', desc: true });
    expect(ids(roles)).toEqual(before);
  });

  it('filters then sorts', () => {
    expect(ids(roleList(roles, { ...NO_FILTER, band: '3' }, { key: 'title', desc: true }))).toEqual([10, 9, 1]);
  });
});

describe('roleToKeep and roleLabel', () => {
  it('keeps the role with most staff, then most services, then the oldest', () => {
    expect(roleToKeep(roles)?.id).toBe(1);
    expect(roleToKeep([roles[2]!, roles[1]!].map((r) => ({ ...r, headcount: 0 })))?.id).toBe(2);
    expect(roleToKeep([roles[5]!, roles[4]!])?.id).toBe(9);
    expect(roleToKeep([])).toBeUndefined();
  });

  it('names a role with its band', () => {
    expect(roleLabel(roles[0]!)).toBe('Therapy assistant (band 3)');
  });
});

describe('topAndRest', () => {
  const line = (title: string, establishmentFte: number, inPostFte: number) => ({ title, establishmentFte, inPostFte });
  const lines = [line('a', 1, 0.5), line('b', 0, 3.1), line('c', 2.2, 2.2), line('d', 0.1, 0.2), line('e', 0.2, 0.1)];

  it('keeps the n biggest by establishment or in post, ties in their first order, and adds up the rest', () => {
    const { top, rest } = topAndRest(lines, 2);
    expect(top.map((l) => l.title)).toEqual(['b', 'c']);
    // a + d + e: establishment 1 + 0.1 + 0.2 = 1.3; in post 0.5 + 0.2 + 0.1 = 0.8 (exact, not 0.8000000000000002).
    expect(rest).toEqual({ count: 3, establishmentFte: 1.3, inPostFte: 0.8 });
    expect(topAndRest(lines, 4).top.map((l) => l.title)).toEqual(['b', 'c', 'a', 'd']);
  });

  it('has no rest when every line fits', () => {
    expect(topAndRest(lines, 5).rest).toBeNull();
    expect(topAndRest([], 15)).toEqual({ top: [], rest: null });
  });
});

describe('restDrawn', () => {
  const top = [{ establishmentFte: 10, inPostFte: 12 }];
  it('draws the other bar up to twice the biggest bar, not beyond, and not when there is none', () => {
    expect(restDrawn(top, { establishmentFte: 24, inPostFte: 3 })).toBe(true);
    expect(restDrawn(top, { establishmentFte: 1, inPostFte: 24.01 })).toBe(false);
    expect(restDrawn(top, null)).toBe(false);
  });
});
