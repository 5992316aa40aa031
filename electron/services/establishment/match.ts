import type { z } from 'zod';
import type { establishmentOptionsSchema } from '../../../shared/establishment/channels';
import { placeKey, titleKey, type EstablishmentLine } from '../../../shared/establishment/lines';
import type { Band } from '../../../shared/common/reference';
import type { DB } from '../../db/connection';
import { AppError } from '../common/errors';
import type { EstablishmentProfileView } from '../../../shared/establishment/channels';

/**
 * Where each line of the report goes. Service: the lead's choice for the line's cost centre or service text (made
 * now, or remembered in the profile), else a service whose cost centre is the line's, else one whose name is the
 * line's service (case and spacing aside). Role: the lead's choice for the title and band, else the role with that
 * title and band (case and spacing aside), else a title merged into a role (role_alias).
 */

type Options = z.output<typeof establishmentOptionsSchema>;

export type ServiceTarget = { id: number } | { create: { name: string; costCentre: string | null } };
export type RoleTarget = { id: number } | { create: { title: string; band: Band; profession: string } };

export interface MatchedLine {
  line: EstablishmentLine;
  service: ServiceTarget;
  role: RoleTarget;
  /** The lead chose this role for a title it does not carry: remembered as an alias. */
  aliasOf: number | null;
}

export interface Matching {
  matched: MatchedLine[];
  unmatched: EstablishmentLine[];
  unmatchedServices: { text: string; detail: string | null; lines: number; firstLine: number }[];
  unmatchedRoles: { title: string; band: Band; lines: number; firstLine: number }[];
  /** Service choices made for this import, to remember in the profile. */
  serviceMatches: { text: string; serviceId: number }[];
}

export const roleKey = (title: string, band: string) => `${titleKey(title)}|${band}`;

export function matchLines(
  db: DB,
  lines: readonly EstablishmentLine[],
  options: Options,
  profile: EstablishmentProfileView | null,
): Matching {
  const byCostCentre = new Map<string, number>();
  const byName = new Map<string, number>();
  for (const s of db.prepare('SELECT id, name, cost_centre AS costCentre FROM service ORDER BY id').all() as {
    id: number;
    name: string;
    costCentre: string | null;
  }[]) {
    byName.set(placeKey(s.name), s.id);
    if (s.costCentre && !byCostCentre.has(placeKey(s.costCentre))) byCostCentre.set(placeKey(s.costCentre), s.id);
  }
  const roles = new Map<string, number>();
  for (const r of db.prepare('SELECT id, title, band FROM role').all() as { id: number; title: string; band: string }[])
    roles.set(roleKey(r.title, r.band), r.id);
  const aliases = new Map<string, number>();
  for (const a of db.prepare('SELECT title_key, band, role_id FROM role_alias').raw().all() as [
    string,
    string,
    number,
  ][])
    aliases.set(roleKey(a[0], a[1]), a[2]);

  const serviceExists = db.prepare('SELECT 1 FROM service WHERE id = ?').pluck();
  const roleExists = db.prepare('SELECT 1 FROM role WHERE id = ?').pluck();
  const professionExists = db.prepare('SELECT 1 FROM profession WHERE code = ?').pluck();

  const serviceChoice = new Map<string, ServiceTarget>();
  for (const m of profile?.serviceMatches ?? []) serviceChoice.set(placeKey(m.text), { id: m.serviceId });
  const chosenNow = new Map<string, { text: string; serviceId: number }>();
  for (const c of options.serviceChoices) {
    if ('serviceId' in c) {
      if (serviceExists.get(c.serviceId) === undefined)
        throw new AppError(
          'invalid-input',
          `There is no service ${c.serviceId} to match "${c.text}" to. Choose again.`,
        );
      serviceChoice.set(placeKey(c.text), { id: c.serviceId });
      chosenNow.set(placeKey(c.text), { text: c.text, serviceId: c.serviceId });
    } else {
      const existing = byName.get(placeKey(c.create.name));
      serviceChoice.set(placeKey(c.text), existing ? { id: existing } : { create: c.create });
    }
  }
  const roleChoice = new Map<string, RoleTarget>();
  for (const c of options.roleChoices) {
    if ('roleId' in c) {
      if (roleExists.get(c.roleId) === undefined)
        throw new AppError('invalid-input', `There is no role ${c.roleId} to match "${c.title}" to. Choose again.`);
      roleChoice.set(roleKey(c.title, c.band), { id: c.roleId });
    } else {
      if (professionExists.get(c.create.profession) === undefined)
        throw new AppError('invalid-input', `"${c.create.profession}" is not a profession the app knows.`);
      roleChoice.set(roleKey(c.title, c.band), {
        create: { title: c.title.trim().replace(/\s+/g, ' '), band: c.band, profession: c.create.profession },
      });
    }
  }

  const result: Matching = {
    matched: [],
    unmatched: [],
    unmatchedServices: [],
    unmatchedRoles: [],
    serviceMatches: [],
  };
  const missingServices = new Map<string, Matching['unmatchedServices'][number]>();
  const missingRoles = new Map<string, Matching['unmatchedRoles'][number]>();
  const usedChoices = new Set<string>();
  for (const line of lines) {
    const cc = placeKey(line.costCentre);
    const name = placeKey(line.service);
    const choiceKey = cc && serviceChoice.has(cc) ? cc : name && serviceChoice.has(name) ? name : null;
    let service: ServiceTarget | null = null;
    if (choiceKey !== null) {
      service = serviceChoice.get(choiceKey)!;
      usedChoices.add(choiceKey);
    } else {
      const id = (cc ? byCostCentre.get(cc) : undefined) ?? (name ? byName.get(name) : undefined);
      if (id !== undefined) service = { id };
    }
    const key = roleKey(line.title, line.band);
    const chosen = roleChoice.get(key);
    const exact = roles.get(key);
    const role: RoleTarget | null = chosen ?? (exact !== undefined ? { id: exact } : null) ?? aliasTarget(aliases, key);
    if (service && role) {
      const aliasOf =
        chosen && 'id' in chosen && exact === undefined && aliases.get(key) !== chosen.id ? chosen.id : null;
      result.matched.push({ line, service, role, aliasOf });
      continue;
    }
    result.unmatched.push(line);
    if (!service) {
      const text = line.costCentre || line.service;
      const entry = missingServices.get(placeKey(text)) ?? {
        text,
        detail: line.costCentre && line.service ? line.service : null,
        lines: 0,
        firstLine: line.line,
      };
      entry.lines++;
      missingServices.set(placeKey(text), entry);
    }
    if (!role) {
      const entry = missingRoles.get(key) ?? { title: line.title, band: line.band, lines: 0, firstLine: line.line };
      entry.lines++;
      missingRoles.set(key, entry);
    }
  }
  result.unmatchedServices = [...missingServices.values()];
  result.unmatchedRoles = [...missingRoles.values()];
  result.serviceMatches = [...chosenNow.entries()].filter(([k]) => usedChoices.has(k)).map(([, m]) => m);
  return result;
}

function aliasTarget(aliases: Map<string, number>, key: string): RoleTarget | null {
  const id = aliases.get(key);
  return id === undefined ? null : { id };
}
