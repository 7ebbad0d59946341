// Problems: what is wrong with an input, named by its JSON path, in plain words.
// Also turns zod's issues into Problems, one per problem (one per unknown field).
import * as z from 'zod';

export interface Problem {
  /** `files[3].fd`, `sys.credential.uid`, `args[0]`; '' for the whole input. */
  path: string;
  message: string;
}

/** `files[3].fd: expected an integer >= 0`, or only the message when the path is ''. */
export function formatProblem(problem: Problem): string {
  return problem.path === '' ? problem.message : `${problem.path}: ${problem.message}`;
}

/** ['files', 3, 'fd'] -> `files[3].fd`; keys that are not identifiers are quoted: `sys["a b"]`. */
export function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const key of path) {
    if (typeof key === 'number') out += `[${key}]`;
    else if (typeof key === 'string' && /^[A-Za-z_$][\w$]*$/.test(key)) out += out === '' ? key : `.${key}`;
    else out += `[${JSON.stringify(String(key))}]`;
  }
  return out;
}

export type ParseOutcome<T> = { ok: true; value: T } | { ok: false; problems: Problem[] };

/** Parses `input` with `schema`; on failure, every issue becomes a plain Problem. */
export function parseOrProblems<S extends z.ZodType>(schema: S, input: unknown): ParseOutcome<z.output<S>> {
  const parsed = schema.safeParse(input, { error: plainMessage });
  if (parsed.success) return { ok: true, value: parsed.data };
  return { ok: false, problems: parsed.error.issues.flatMap((issue) => toProblems(issue, input)) };
}

function toProblems(issue: z.core.$ZodIssue, input: unknown): Problem[] {
  if (issue.code === 'unrecognized_keys') {
    return issue.keys.map((key) => ({ path: formatPath([...issue.path, key]), message: `unknown field "${key}"` }));
  }
  // Whatever the schema expected there, a field that is absent is simply missing.
  const absent = issue.path.length > 0 && valueAt(input, issue.path) === undefined;
  return [{ path: formatPath(issue.path), message: absent ? 'required' : issue.message }];
}

function valueAt(input: unknown, path: readonly PropertyKey[]): unknown {
  let value = input;
  for (const key of path) {
    if (typeof value !== 'object' || value === null || !Object.hasOwn(value, key)) return undefined;
    value = (value as Record<PropertyKey, unknown>)[key];
  }
  return value;
}

const TYPE_NAMES: Readonly<Record<string, string>> = {
  string: 'a string',
  boolean: 'a boolean',
  number: 'a number',
  int: 'an integer',
  array: 'an array',
  tuple: 'an array',
  object: 'an object',
  record: 'an object',
};

const quoteAll = (values: readonly unknown[]) => values.map((v) => JSON.stringify(v)).join(', ');

/**
 * Messages for the generic issues (wrong type, not one of the allowed values). A message set
 * on the schema itself wins over this one; undefined leaves zod's own.
 */
function plainMessage(issue: z.core.$ZodRawIssue): string | undefined {
  switch (issue.code) {
    case 'invalid_type':
      return `expected ${TYPE_NAMES[issue.expected] ?? issue.expected}`;
    case 'invalid_value':
      return issue.values.length === 1 ? `expected ${quoteAll(issue.values)}` : `expected one of ${quoteAll(issue.values)}`;
    case 'invalid_union':
      // A discriminated union whose `type` matched none of its options.
      return Array.isArray(issue.options) ? `expected one of ${quoteAll(issue.options)}` : undefined;
    default:
      return undefined;
  }
}
