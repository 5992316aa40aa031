import { z } from 'zod';

/**
 * Plain-English wording for any zod issue whose schema gives no message of its own (WCAG 3.3.1, 3.3.3): every
 * message says what to do and names the field, never "Invalid input: expected ...". Configured once, below, for
 * every process that imports the shared contract, so the renderer and the router word errors alike.
 */

/** Words for path keys that humanising alone would get wrong. */
const knownLabels: Record<string, string> = {
  fte: 'FTE',
  wte: 'WTE',
  esr: 'ESR',
  ahp: 'AHP',
  nhs: 'NHS',
  url: 'web address',
  dob: 'date of birth',
};

/** `serviceId` → "service", `dateOfBirth` → "date of birth", `fte` → "FTE"; undefined when the path names no field. */
export function labelFromPath(path: readonly PropertyKey[]): string | undefined {
  const key = [...path].reverse().find((p): p is string => typeof p === 'string');
  if (key === undefined) return undefined;
  const words = key
    .replace(/(Id|Ids|Code)$/, (m) => (m === 'Ids' ? 's' : ''))
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/[_-]+/g, ' ')
    .trim()
    .toLowerCase()
    .split(/\s+/)
    .filter(Boolean)
    .map((w) => knownLabels[w] ?? w);
  return words.length > 0 ? words.join(' ') : undefined;
}

type Issue = z.core.$ZodRawIssue;

const isBlank = (input: unknown) => input === undefined || input === null || input === '';

function describeNumber(n: number | bigint): string {
  return typeof n === 'bigint' ? n.toString() : n.toLocaleString('en-GB');
}

export function plainMessage(issue: Issue): string {
  const label = labelFromPath(issue.path ?? []);
  const the = label ? `the ${label}` : 'a value';
  const The = label ? `The ${label}` : 'The value';
  switch (issue.code) {
    case 'invalid_type': {
      const expected = issue.expected;
      if (expected === 'array' || expected === 'boolean' || expected === 'object' || expected === 'set') {
        return `Choose ${the}`;
      }
      if (isBlank(issue.input)) return `Enter ${the}`;
      if (expected === 'int') return `Enter a whole number for ${the}`;
      if (expected === 'number' || expected === 'bigint') return `Enter a number for ${the}`;
      if (expected === 'date') return `Enter a real date for ${the}`;
      return `Enter ${the}`;
    }
    case 'invalid_value':
      return `Choose ${the}`;
    case 'too_small': {
      const min = describeNumber(issue.minimum);
      if (issue.origin === 'string') {
        return Number(issue.minimum) <= 1 ? `Enter ${the}` : `${The} must be at least ${min} characters`;
      }
      if (issue.origin === 'array' || issue.origin === 'set') {
        return Number(issue.minimum) <= 1 ? `Choose at least one for ${the}` : `Choose at least ${min} for ${the}`;
      }
      return issue.inclusive === false ? `${The} must be more than ${min}` : `${The} must be ${min} or more`;
    }
    case 'too_big': {
      const max = describeNumber(issue.maximum);
      if (issue.origin === 'string') return `${The} must be ${max} characters or fewer`;
      if (issue.origin === 'array' || issue.origin === 'set') return `Choose no more than ${max} for ${the}`;
      return issue.inclusive === false ? `${The} must be less than ${max}` : `${The} must be ${max} or less`;
    }
    case 'invalid_format':
      if (isBlank(issue.input)) return `Enter ${the}`;
      return issue.format === 'date' || issue.format === 'datetime'
        ? `Enter a real date for ${the}, like 2026-03-31`
        : `Enter ${the} in the right format`;
    case 'not_multiple_of':
      return `${The} must be a multiple of ${describeNumber(issue.divisor)}`;
    case 'unrecognized_keys':
      return `Remove the fields this form does not use: ${issue.keys.join(', ')}`;
    case 'invalid_union':
      if ('discriminator' in issue) return `Choose ${the}`;
      return isBlank(issue.input) ? `Enter ${the}` : `Check ${the}`;
    default:
      return `Check ${the}`;
  }
}

/** Schema-level messages win over this; it only replaces zod's own defaults. */
z.config({ customError: (issue) => plainMessage(issue) });
