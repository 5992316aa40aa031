import { z } from 'zod';
import { describe, expect, it } from 'vitest';
import { issuesToDetails } from '../../shared/common/api';
import { contract, channelNames } from '../../shared/contract';

/** zod's own wording, which must never reach a screen (WCAG 3.3.1, 3.3.3). */
const raw =
  /Invalid input|Invalid option|expected|Too small|Too big|received (?:undefined|null|string|number|boolean|object|array|NaN)/i;

const wrongValues: readonly unknown[] = [undefined, null, '', '   ', 'x', 1.5, -1, 0, true, [], {}, [1], 'not-a-date'];

function unwrap(schema: z.ZodType): z.ZodType {
  let s: z.ZodType = schema;
  for (let i = 0; i < 10; i++) {
    if (s instanceof z.ZodOptional || s instanceof z.ZodNullable || s instanceof z.ZodDefault) {
      s = s.unwrap() as z.ZodType;
    } else if (s instanceof z.ZodPipe) {
      s = s.in as z.ZodType;
    } else break;
  }
  return s;
}

/** Inputs that are empty, of the wrong type, or wrong in one field (recursing into nested objects and arrays). */
function badInputs(schema: z.ZodType, depth = 0): unknown[] {
  const inputs: unknown[] = [...wrongValues];
  const s = unwrap(schema);
  if (depth < 3 && s instanceof z.ZodObject) {
    for (const [key, field] of Object.entries(s.shape as Record<string, z.ZodType>)) {
      for (const bad of badInputs(field, depth + 1)) inputs.push({ [key]: bad });
    }
  }
  if (depth < 3 && s instanceof z.ZodArray) {
    for (const bad of badInputs(s.element as z.ZodType, depth + 1)) inputs.push([bad]);
  }
  return inputs;
}

describe('plain-English validation messages', () => {
  it('words every error from every channel input plainly, naming what to do', () => {
    let checked = 0;
    const rawOnes: string[] = [];
    for (const name of channelNames) {
      const input: z.ZodType = contract[name].input;
      for (const bad of badInputs(input)) {
        const parsed = input.safeParse(bad);
        if (parsed.success) continue;
        for (const [path, message] of Object.entries(issuesToDetails(parsed.error.issues))) {
          checked++;
          expect(message.trim()).not.toBe('');
          if (raw.test(message)) rawOnes.push(`${name} ${path}: ${message}`);
        }
      }
    }
    expect(checked).toBeGreaterThan(1000);
    expect([...new Set(rawOnes)]).toEqual([]);
  });

  it('falls back to wording that names the field when a schema gives none', () => {
    const schema = z.object({
      serviceId: z.number().int(),
      sex: z.enum(['F', 'M']),
      title: z.string().min(1),
      hours: z.number().max(37.5),
    });
    const details = issuesToDetails(schema.safeParse({ serviceId: 'x', title: '', hours: 40 }).error?.issues ?? []);
    expect(details).toEqual({
      serviceId: 'Enter a number for the service',
      sex: 'Choose the sex',
      title: 'Enter the title',
      hours: 'The hours must be 37.5 or less',
    });
  });

  it('keeps a schema’s own message', () => {
    const schema = z.object({ roleId: z.number({ error: 'Choose a role' }) });
    expect(issuesToDetails(schema.safeParse({}).error?.issues ?? [])).toEqual({ roleId: 'Choose a role' });
  });

  // Through the contract's own import only: the wording must be configured wherever the contract is used.
  it('turns a path into a label', () => {
    const schema = z.object({
      assignments: z.array(
        z.object({ fteBand: z.enum(['2', '3']), dateOfBirth: z.string(), roleIds: z.array(z.number()) }),
      ),
    });
    expect(issuesToDetails(schema.safeParse({ assignments: [{}] }).error?.issues ?? [])).toEqual({
      'assignments.0.fteBand': 'Choose the FTE band',
      'assignments.0.dateOfBirth': 'Enter the date of birth',
      'assignments.0.roleIds': 'Choose the roles',
    });
  });
});
