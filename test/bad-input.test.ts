// Bad input everywhere: every field of the profile, given a bad value (wrong type, out of
// range, NUL byte, missing, unknown key), is refused with an error naming that field, the
// same through the CLI (`validate` and `run`: exit 2, one line, no stack trace) and through
// browser mode's API (validate, plan, launch, saveProfile: a result naming the field, never
// an error answer). The fields are read from the schema itself: a field added to it without
// a bad case here fails the first test. Values only the kernel can refuse (too long for it)
// are results, never input errors. The builder's side is e2e/validation.spec.ts.
// Run: node --import tsx --test test/bad-input.test.ts
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { z } from 'zod';

import type { Checked, LaunchOutcome, PlanOutcome, SaveOutcome } from '../src/shared/api';
import { formatProblem, type Problem } from '../src/shared/problems';
import { CAPABILITIES, NAMESPACE_FLAGS, RLIMITS } from '../src/shared/engine-names';
import { ProfileSchema } from '../src/shared/profile';
import { SIGNALS } from '../src/shared/signals';
import { suiteLab } from './support/api-client';
import { cliAsync, lines, parseWhole, scratchDir, writeProfile, type JsonObject } from './support/cli-helpers';

// ---- the fields of the schema ------------------------------------------------------------

interface JsonSchema {
  type?: string;
  properties?: Record<string, JsonSchema>;
  items?: JsonSchema;
  oneOf?: JsonSchema[];
  const?: unknown;
}

const join = (at: string, key: string) => (at === '' ? key : `${at}.${key}`);

/**
 * Every field a bad value can be given for: '' (the whole profile), `sys.credential.uid`,
 * `args[]` (each item), `files[]<inherit>.fd` (a field of one kind of file), and `X.*` (a
 * key that object does not have).
 */
function fieldsOf(schema: JsonSchema, at: string): string[] {
  if (schema.type === 'array') return [at, ...fieldsOf(schema.items!, `${at}[]`)];
  if (schema.oneOf) {
    // A union tagged by `type` (the files): the tag once, then each kind's own fields.
    const kinds = schema.oneOf.flatMap((kind) => objectFields(kind, `${at}<${String(kind.properties!.type!.const)}>`, 'type'));
    return [at, `${at}.type`, ...kinds];
  }
  if (schema.type === 'object') return [at, ...objectFields(schema, at)];
  return [at];
}

function objectFields(schema: JsonSchema, at: string, tag?: string): string[] {
  const own = Object.entries(schema.properties ?? {}).filter(([key]) => key !== tag);
  return [join(at, '*'), ...own.flatMap(([key, field]) => fieldsOf(field, join(at, key)))];
}

const SCHEMA_FIELDS = fieldsOf(z.toJSONSchema(ProfileSchema, { io: 'input' }) as JsonSchema, '');

// ---- the bad values ----------------------------------------------------------------------

/** A valid profile that draws no warning; each case spoils one field of it. */
const base = (): JsonObject => ({
  version: 1,
  name: 'bad input',
  path: '/bin/true',
  args: ['true'],
  files: [{ type: 'null' }, { type: 'pipe' }, { type: 'pipe' }],
});

interface BadCase {
  field: string;
  /** What is wrong, for the test's name. */
  what: string;
  /** The profile as sent: usually base() with one field spoilt. */
  input: unknown;
  /** The one problem: where ('' for the whole profile) and what. */
  problem: Problem;
  /** Only the host makes it wrong (an fd not open here): a profile that can still be saved. */
  hostOnly?: true;
}

const NUL = 'a\0b';
const INT_RANGE = (min: number) => `expected an integer from ${min} to 2147483647`;
const U32 = 'expected an integer from 0 to 4294967294';

const spoilt = (change: (p: JsonObject) => void): JsonObject => {
  const p = base();
  change(p);
  return p;
};
/** Top-level key set to value (undefined: left out). */
const top = (key: string, value: unknown) =>
  spoilt((p) => {
    if (value === undefined) delete p[key];
    else p[key] = value;
  });
/** One more file, at files[3]. */
const file3 = (spec: unknown) => spoilt((p) => (p.files as unknown[]).push(spec));
const credential = (fields: JsonObject) => top('sys', { credential: { uid: 0, gid: 0, ...fields } });
const cases: BadCase[] = [];
const quoted = (names: readonly string[]) => names.map((n) => JSON.stringify(n)).join(', ');
const SIGNAL_NAMES = `expected one of ${quoted(SIGNALS.map((sig) => sig.name))}`;
const NAMESPACES = `expected one of ${quoted(NAMESPACE_FLAGS)}`;
const CAPS = `expected one of ${quoted(CAPABILITIES)}`;
const RLIMIT_NAMES = `unknown resource: expected one of ${quoted(RLIMITS)}`;
const NOT_BYTES = 'expected a string, or {"hex": "..."} for bytes that are not UTF-8';
const OCTAL = 'expected an octal mode from 0 to 777, e.g. "027"';
const LIMIT = 'expected an integer >= 0 or "unlimited"';

const bad = (field: string, what: string, input: unknown, path: string, message: string, extra: Partial<BadCase> = {}) =>
  cases.push({ field, what, input, problem: { path, message }, ...extra });

bad('', 'null', null, '', 'expected an object');
bad('', 'an array', [base()], '', 'expected an object');
bad('', 'a string', 'ls -l', '', 'expected an object');
bad('*', 'an unknown key', top('colour', 'red'), 'colour', 'unknown field "colour"');
bad('*', 'a __proto__ key', JSON.parse(`{"__proto__": {"polluted": true}, ${JSON.stringify(base()).slice(1)}`), '__proto__', 'unknown field "__proto__"');
bad('version', '2', top('version', 2), 'version', 'expected 1');
bad('version', 'missing', top('version', undefined), 'version', 'required');
bad('name', 'empty', top('name', ''), 'name', 'must not be empty');
bad('name', 'a NUL byte', top('name', NUL), 'name', 'must not contain a NUL byte');
bad('name', 'a number', top('name', 5), 'name', 'expected a string');
bad('description', 'a NUL byte', top('description', NUL), 'description', 'must not contain a NUL byte');
bad('description', 'a boolean', top('description', false), 'description', 'expected a string');
bad('path', 'missing', top('path', undefined), 'path', 'required');
bad('path', 'empty', top('path', ''), 'path', 'must not be empty');
bad('path', 'a NUL byte', top('path', `/bin/true${NUL}`), 'path', 'must not contain a NUL byte');
bad('args', 'a string', top('args', 'true -v'), 'args', 'expected an array');
bad('args', 'missing', top('args', undefined), 'args', 'required');
bad('args[]', 'a number', top('args', ['true', 7]), 'args[1]', NOT_BYTES);
bad('args[]', 'a NUL byte', top('args', ['true', NUL]), 'args[1]', 'must not contain a NUL byte');
bad('dir', 'a NUL byte', top('dir', `/tmp${NUL}`), 'dir', 'must not contain a NUL byte');
bad('dir', 'a number', top('dir', 1), 'dir', NOT_BYTES);
bad('dir', 'odd hex', top('dir', { hex: '2f7' }), 'dir.hex', 'expected hex digits, two per byte');
bad('dir', 'a NUL byte in hex', top('dir', { hex: '2f00' }), 'dir', 'must not contain a NUL byte');
bad('inheritEnv', 'a string', top('inheritEnv', 'yes'), 'inheritEnv', 'expected a boolean');
bad('env', 'a string', top('env', 'A=1'), 'env', 'expected an array');
bad('env[]', 'no =', top('env', ['NOEQUALS']), 'env[0]', 'expected KEY=VALUE: there is no "="');
bad('env[]', 'no KEY', top('env', ['=value']), 'env[0]', 'expected KEY=VALUE: the name before "=" is empty');
bad('env[]', 'a NUL byte', top('env', [`A=${NUL}`]), 'env[0]', 'must not contain a NUL byte');
bad('env[]', 'a number', top('env', [3]), 'env[0]', NOT_BYTES);
const EXACTLY_ONE = "give exactly one of fromLabEnv (a variable of the lab's environment) and fromStore (a key of the lab's secret store)";
bad('secrets', 'an object', top('secrets', { name: 'T' }), 'secrets', 'expected an array');
bad('secrets[]', 'a string', top('secrets', ['T=x']), 'secrets[0]', 'expected an object');
bad('secrets[]', 'neither source', top('secrets', [{ name: 'T' }]), 'secrets[0]', EXACTLY_ONE);
bad('secrets[]', 'both sources', top('secrets', [{ name: 'T', fromLabEnv: 'T', fromStore: 't' }]), 'secrets[0]', EXACTLY_ONE);
bad('secrets[].*', 'a value in the profile', top('secrets', [{ name: 'T', fromLabEnv: 'T', value: 'x' }]), 'secrets[0].value', 'unknown field "value"');
bad('secrets[].name', 'with =', top('secrets', [{ name: 'A=B', fromLabEnv: 'T' }]), 'secrets[0].name', 'a name cannot contain "=": the child would read everything after the first "=" as the value');
bad('secrets[].name', 'also in env', { ...base(), env: ['T=public'], secrets: [{ name: 'T', fromLabEnv: 'T' }] }, 'secrets[0].name', 'T is also in env: give its value in one place');
bad('secrets[].fromLabEnv', 'empty', top('secrets', [{ name: 'T', fromLabEnv: '' }]), 'secrets[0].fromLabEnv', 'must not be empty');
bad('secrets[].fromStore', 'a number', top('secrets', [{ name: 'T', fromStore: 5 }]), 'secrets[0].fromStore', 'expected a string');
bad('files', 'an object', top('files', { 0: { type: 'null' } }), 'files', 'expected an array');
bad('files[]', 'a number', file3(5), 'files[3]', 'expected an object');
bad('files[]', 'null', file3(null), 'files[3]', 'expected an object');
bad('files[].type', 'an unknown type', file3({ type: 'socket' }), 'files[3].type', 'expected one of "null", "pipe", "inherit", "file", "closed", "pty"');
bad('files[].type', 'missing', file3({}), 'files[3].type', 'required');
bad('files[]<null>.*', 'an fd', file3({ type: 'null', fd: 1 }), 'files[3].fd', 'unknown field "fd"');
bad('files[]<pipe>.*', 'a mode', file3({ type: 'pipe', mode: 'r' }), 'files[3].mode', 'unknown field "mode"');
bad('files[]<inherit>.*', 'a path', file3({ type: 'inherit', fd: 1, path: '/x' }), 'files[3].path', 'unknown field "path"');
bad('files[]<inherit>.fd', 'negative', file3({ type: 'inherit', fd: -1 }), 'files[3].fd', 'expected an integer >= 0');
bad('files[]<inherit>.fd', 'fractional', file3({ type: 'inherit', fd: 1.5 }), 'files[3].fd', 'expected an integer >= 0');
bad('files[]<inherit>.fd', 'a string', file3({ type: 'inherit', fd: '1' }), 'files[3].fd', 'expected an integer >= 0');
bad('files[]<inherit>.fd', 'beyond an int', file3({ type: 'inherit', fd: 2 ** 32 }), 'files[3].fd', INT_RANGE(0));
bad('files[]<inherit>.fd', 'missing', file3({ type: 'inherit' }), 'files[3].fd', 'required');
bad('files[]<inherit>.fd', 'not open here', file3({ type: 'inherit', fd: 987 }), 'files[3].fd', 'host fd 987 is not open', { hostOnly: true });
bad('files[]<file>.*', 'an unknown key', file3({ type: 'file', path: '/tmp/x', mode: 'r', append: true }), 'files[3].append', 'unknown field "append"');
bad('files[]<file>.path', 'empty', file3({ type: 'file', path: '', mode: 'r' }), 'files[3].path', 'must not be empty');
bad('files[]<file>.path', 'a NUL byte', file3({ type: 'file', path: `/tmp/${NUL}`, mode: 'r' }), 'files[3].path', 'must not contain a NUL byte');
bad('files[]<file>.path', 'missing', file3({ type: 'file', mode: 'r' }), 'files[3].path', 'required');
bad('files[]<file>.mode', 'an unknown mode', file3({ type: 'file', path: '/tmp/x', mode: 'x' }), 'files[3].mode', 'expected one of "r", "w", "a", "rw"');
bad('files[]<file>.mode', 'missing', file3({ type: 'file', path: '/tmp/x' }), 'files[3].mode', 'required');
bad('files[]<file>.create', 'a string', file3({ type: 'file', path: '/tmp/x', mode: 'w', create: 'yes' }), 'files[3].create', 'expected a boolean');
bad('files[]<file>.truncate', 'a number', file3({ type: 'file', path: '/tmp/x', mode: 'w', truncate: 1 }), 'files[3].truncate', 'expected a boolean');
bad('files[]<closed>.*', 'an fd', file3({ type: 'closed', fd: -1 }), 'files[3].fd', 'unknown field "fd"');
bad('files[]<pty>.*', 'a size', file3({ type: 'pty', cols: 80 }), 'files[3].cols', 'unknown field "cols"');
bad('stdin', 'a number', top('stdin', 5), 'stdin', NOT_BYTES);
bad('sys', 'a string', top('sys', 'setsid'), 'sys', 'expected an object');
bad('sys', 'null', top('sys', null), 'sys', 'expected an object');
bad('sys.*', 'an unknown key', top('sys', { setuid: 0 }), 'sys.setuid', 'unknown field "setuid"');
bad('sys.chroot', 'a NUL byte', top('sys', { chroot: `/srv${NUL}` }), 'sys.chroot', 'must not contain a NUL byte');
bad('sys.chroot', 'a boolean', top('sys', { chroot: true }), 'sys.chroot', 'expected a string');
bad('sys.credential', 'a number', top('sys', { credential: 65534 }), 'sys.credential', 'expected an object');
bad('sys.credential.*', 'an unknown key', credential({ gids: [] }), 'sys.credential.gids', 'unknown field "gids"');
bad('sys.credential.uid', 'negative', credential({ uid: -1 }), 'sys.credential.uid', U32);
bad('sys.credential.uid', 'beyond uid_t', credential({ uid: 2 ** 32 }), 'sys.credential.uid', U32);
bad('sys.credential.uid', 'a name', credential({ uid: 'root' }), 'sys.credential.uid', U32);
bad('sys.credential.uid', '(uid_t)-1', credential({ uid: 2 ** 32 - 1 }), 'sys.credential.uid', `4294967295 is (uid_t)-1, which setuid refuses (EINVAL; -1 means "unchanged" only to setresuid): ${U32}`);
bad('sys.credential.uid', 'missing', top('sys', { credential: { gid: 0 } }), 'sys.credential.uid', 'required');
bad('sys.credential.gid', 'fractional', credential({ gid: 1.5 }), 'sys.credential.gid', U32);
bad('sys.credential.gid', '(gid_t)-1', credential({ gid: 2 ** 32 - 1 }), 'sys.credential.gid', `4294967295 is (gid_t)-1, which setgid refuses (EINVAL; -1 means "unchanged" only to setresgid): ${U32}`);
bad('sys.credential.groups', 'a number', credential({ groups: 27 }), 'sys.credential.groups', 'expected an array');
bad('sys.credential.groups[]', 'negative', credential({ groups: [27, -1] }), 'sys.credential.groups[1]', U32);
bad('sys.credential.noSetGroups', 'a string', credential({ noSetGroups: 'no' }), 'sys.credential.noSetGroups', 'expected a boolean');
bad('sys.ptrace', 'a number', top('sys', { ptrace: 1 }), 'sys.ptrace', 'expected a boolean');
bad('sys.setsid', 'a string', top('sys', { setsid: 'true' }), 'sys.setsid', 'expected a boolean');
bad('sys.setpgid', 'null', top('sys', { setpgid: null }), 'sys.setpgid', 'expected a boolean');
bad('sys.pgid', 'negative', top('sys', { setpgid: true, pgid: -1 }), 'sys.pgid', 'expected an integer >= 0');
bad('sys.pgid', 'beyond pid_t', top('sys', { setpgid: true, pgid: 2 ** 31 }), 'sys.pgid', INT_RANGE(0));
bad('sys.setctty', 'a number', top('sys', { setctty: 0 }), 'sys.setctty', 'expected a boolean');
bad('sys.noctty', 'an array', top('sys', { noctty: [] }), 'sys.noctty', 'expected a boolean');
bad('sys.ctty', 'negative', top('sys', { ctty: -1 }), 'sys.ctty', 'expected an integer >= 0');
bad('sys.ctty', 'beyond an int', top('sys', { ctty: 2 ** 32 }), 'sys.ctty', INT_RANGE(0));
bad('sys.foreground', 'a string', top('sys', { foreground: 'yes' }), 'sys.foreground', 'expected a boolean');
bad('sys.pdeathsig', 'a number', top('sys', { pdeathsig: 15 }), 'sys.pdeathsig', SIGNAL_NAMES);
bad('sys.pdeathsig', 'lower case', top('sys', { pdeathsig: 'sigterm' }), 'sys.pdeathsig', SIGNAL_NAMES);
bad('sys.cloneflags', 'a string', top('sys', { cloneflags: 'CLONE_NEWUSER' }), 'sys.cloneflags', 'expected an array');
bad('sys.cloneflags', 'a flag twice', top('sys', { cloneflags: ['CLONE_NEWPID', 'CLONE_NEWPID'] }), 'sys.cloneflags', 'names one twice');
bad('sys.cloneflags[]', 'a flag that is no namespace', top('sys', { cloneflags: ['CLONE_VM'] }), 'sys.cloneflags[0]', NAMESPACES);
bad('sys.unshareflags', 'an object', top('sys', { unshareflags: { CLONE_NEWNS: true } }), 'sys.unshareflags', 'expected an array');
bad('sys.unshareflags[]', 'a number', top('sys', { unshareflags: [0x20000] }), 'sys.unshareflags[0]', NAMESPACES);
for (const maps of ['uidMappings', 'gidMappings'] as const) {
  const mapping = (m: JsonObject) => top('sys', { [maps]: [{ containerId: 0, hostId: 1000, size: 1, ...m }] });
  bad(`sys.${maps}`, 'one mapping, not a list', top('sys', { [maps]: { containerId: 0, hostId: 1000, size: 1 } }), `sys.${maps}`, 'expected an array');
  bad(`sys.${maps}`, 'more lines than the kernel takes', top('sys', { [maps]: Array.from({ length: 341 }, (_, i) => ({ containerId: i, hostId: i, size: 1 })) }), `sys.${maps}`, 'at most 340 lines: the kernel refuses more (EINVAL)');
  bad(`sys.${maps}[]`, 'a string', top('sys', { [maps]: ['0 1000 1'] }), `sys.${maps}[0]`, 'expected an object');
  bad(`sys.${maps}[].*`, 'an unknown key', mapping({ count: 1 }), `sys.${maps}[0].count`, 'unknown field "count"');
  bad(`sys.${maps}[].containerId`, 'negative', mapping({ containerId: -1 }), `sys.${maps}[0].containerId`, U32);
  bad(`sys.${maps}[].hostId`, '(uid_t)-1', mapping({ hostId: 2 ** 32 - 1 }), `sys.${maps}[0].hostId`, `4294967295 is (uid_t)-1, which no map may name (EINVAL): ${U32}`);
  bad(`sys.${maps}[].size`, 'zero', mapping({ size: 0 }), `sys.${maps}[0].size`, 'expected an integer >= 1');
}
bad('sys.gidMappingsEnableSetgroups', 'a string', top('sys', { gidMappingsEnableSetgroups: 'allow' }), 'sys.gidMappingsEnableSetgroups', 'expected a boolean');
bad('sys.ambientCaps', 'a string', top('sys', { ambientCaps: 'CAP_NET_RAW' }), 'sys.ambientCaps', 'expected an array');
bad('sys.ambientCaps[]', 'a name without CAP_', top('sys', { ambientCaps: ['NET_RAW'] }), 'sys.ambientCaps[0]', CAPS);
bad('sys.noNewPrivs', 'a number', top('sys', { noNewPrivs: 1 }), 'sys.noNewPrivs', 'expected a boolean');
bad('sys.umask', 'a number', top('sys', { umask: 18 }), 'sys.umask', 'expected a string');
bad('sys.umask', 'not octal', top('sys', { umask: '089' }), 'sys.umask', OCTAL);
bad('sys.umask', 'beyond 777', top('sys', { umask: '1777' }), 'sys.umask', OCTAL);
bad('sys.rlimits', 'a list', top('sys', { rlimits: [{ name: 'NOFILE', soft: 1, hard: 1 }] }), 'sys.rlimits', 'expected an object');
bad('sys.rlimits.*', 'RLIMIT_ spelled out', top('sys', { rlimits: { RLIMIT_NOFILE: { soft: 1, hard: 1 } } }), 'sys.rlimits.RLIMIT_NOFILE', RLIMIT_NAMES);
bad('sys.rlimits.*', 'soft above hard', top('sys', { rlimits: { NOFILE: { soft: 2, hard: 1 } } }), 'sys.rlimits.NOFILE.soft', 'soft is above hard: setrlimit refuses it (EINVAL)');
bad('sys.rlimits.*', 'a negative limit', top('sys', { rlimits: { CORE: { soft: 0, hard: -1 } } }), 'sys.rlimits.CORE.hard', LIMIT);
bad('sys.rlimits.*', 'a limit of "infinity"', top('sys', { rlimits: { CORE: { soft: 'infinity', hard: 'unlimited' } } }), 'sys.rlimits.CORE.soft', LIMIT);
bad('sys.rlimits.*', 'a missing hard limit', top('sys', { rlimits: { CORE: { soft: 0 } } }), 'sys.rlimits.CORE.hard', 'required');
bad('sys.nice', 'beyond 19', top('sys', { nice: 20 }), 'sys.nice', 'expected an integer from -20 to 19');
bad('sys.nice', 'fractional', top('sys', { nice: 1.5 }), 'sys.nice', 'expected an integer from -20 to 19');
bad('sys.cpuAffinity', 'one number', top('sys', { cpuAffinity: 0 }), 'sys.cpuAffinity', 'expected an array');
bad('sys.cpuAffinity[]', 'negative', top('sys', { cpuAffinity: [0, -1] }), 'sys.cpuAffinity[1]', 'expected an integer from 0 to 1023');
bad('sys.oomScoreAdj', 'below -1000', top('sys', { oomScoreAdj: -1001 }), 'sys.oomScoreAdj', 'expected an integer from -1000 to 1000');
bad('sys.cgroup', 'a NUL byte', top('sys', { cgroup: `/sys/fs/cgroup/${NUL}` }), 'sys.cgroup', 'must not contain a NUL byte');
bad('sys.cgroup', 'a number', top('sys', { cgroup: 1 }), 'sys.cgroup', 'expected a string');
bad('engine', 'a string', top('engine', 'fork'), 'engine', 'expected an object');
bad('engine.*', 'an unknown key', top('engine', { closefds: true }), 'engine.closefds', 'unknown field "closefds"');
bad('engine.method', 'an unknown method', top('engine', { method: 'spawn' }), 'engine.method', 'expected one of "vfork", "fork"');
bad('engine.order', 'an unknown order', top('engine', { order: 'posix' }), 'engine.order', 'expected one of "seed", "go"');
bad('engine.closeOtherFds', 'a string', top('engine', { closeOtherFds: 'false' }), 'engine.closeOtherFds', 'expected a boolean');
bad('engine.resetSignals', 'a number', top('engine', { resetSignals: 1 }), 'engine.resetSignals', 'expected a boolean');
bad('timeoutMs', 'zero', top('timeoutMs', 0), 'timeoutMs', 'expected an integer >= 1');
bad('timeoutMs', "beyond setTimeout's limit", top('timeoutMs', 2 ** 31), 'timeoutMs', INT_RANGE(1));
bad('timeoutMs', 'a string', top('timeoutMs', '100'), 'timeoutMs', 'expected an integer >= 1');
bad('stopScope', 'an unknown scope', top('stopScope', 'tree'), 'stopScope', 'expected one of "child", "group", "cgroup"');
bad('stopScope', 'group without a group of its own', top('stopScope', 'group'), 'stopScope', "the child stays in the lab's own process group: turn on setsid or setpgid to stop its group");
bad('stopScope', 'cgroup without sys.cgroup', top('stopScope', 'cgroup'), 'stopScope', 'the child has no cgroup of its own: give sys.cgroup to stop its cgroup');
bad('waitDelayMs', 'negative', top('waitDelayMs', -1), 'waitDelayMs', 'expected an integer from 0 to 3600000');
bad('waitDelayMs', 'a string', top('waitDelayMs', '10'), 'waitDelayMs', 'expected an integer from 0 to 3600000');

const casesByField = new Map<string, BadCase[]>();
for (const c of cases) casesByField.set(c.field, [...(casesByField.get(c.field) ?? []), c]);

const STACK_LINE = /^\s+at /m;

// ---- the tests ---------------------------------------------------------------------------

test('every field of the schema has a bad case, and every case names a field of the schema', () => {
  assert.deepEqual(SCHEMA_FIELDS.filter((f) => !casesByField.has(f)), [], 'fields with no bad case');
  assert.deepEqual([...casesByField.keys()].filter((f) => !SCHEMA_FIELDS.includes(f)), [], 'cases for no field');
});

describe('every field, through the CLI and the API', { concurrency: 2 }, () => {
  const suite = suiteLab('proclab-bad-input-');

  // The CLI: the first bad value of each field, through `validate` and `run` in turn (each
  // command is a process of its own, a fifth of a second each). The API: every bad value.
  [...casesByField].forEach(([field, fieldCases], index) => {
    test(`${field || '(the whole profile)'}: ${fieldCases.map((c) => c.what).join(', ')}`, async () => {
      const first = fieldCases[0]!;
      const file = writeProfile(suite.dir, first.input);
      const args = index % 2 === 0 ? ['validate', file] : ['run', file, '--json'];
      const r = await cliAsync(args);
      const command = `proclab ${args[0]} (${first.what})`;
      assert.doesNotMatch(r.stderr, STACK_LINE, `${command}: a stack trace`);
      assert.equal(r.status, 2, `${command}: exit status; stderr ${r.stderr}`);
      assert.equal(r.stdout, '', command);
      assert.deepEqual(lines(r.stderr), [`error: ${formatProblem(first.problem)}`], command);

      for (const c of fieldCases) {
        const problems = [c.problem];
        const what = `${c.field} ${c.what}`;
        const checked = await suite.client.result<Checked>('validate', c.input);
        assert.deepEqual(checked, { errors: problems, warnings: [] }, `validate: ${what}`);
        assert.deepEqual(await suite.client.result<PlanOutcome>('plan', c.input), { ok: false, errors: problems }, `plan: ${what}`);
        assert.deepEqual(await suite.client.result<LaunchOutcome>('launch', c.input), { ok: false, errors: problems }, `launch: ${what}`);
        const saved = await suite.client.result<SaveOutcome>('saveProfile', { profile: c.input });
        if (c.hostOnly) {
          assert.ok(saved.ok, `save: ${what}: only this host makes it wrong, the profile itself is fine`);
          continue;
        }
        assert.equal(saved.ok, false, `save: ${what}`);
        assert.ok(!saved.ok && saved.reason === 'invalid' && saved.message.includes(formatProblem(c.problem)), `save: ${what}: ${JSON.stringify(saved)}`);
        assert.deepEqual(!saved.ok && saved.problems, problems, `save: ${what}`);
      }
    });
  });
});

test("the CLI's own --timeout: an error naming the option, exit 2, no stack trace", async (t) => {
  const file = writeProfile(scratchDir(t), base());
  for (const [value, message] of [
    ['soon', 'expected an integer >= 1'],
    ['0', 'expected an integer >= 1'],
    ['2147483648', INT_RANGE(1)],
  ]) {
    const r = await cliAsync(['run', file, '--timeout', value!]);
    assert.equal(r.status, 2, r.stderr);
    assert.deepEqual(lines(r.stderr), [`error: option '--timeout <ms>' argument '${value}' is invalid. ${message}`]);
  }
  // A file that is not a profile object still gets the schema's word, not a crash.
  const notObject = await cliAsync(['run', writeProfile(scratchDir(t), 'null'), '--timeout', '100']);
  assert.equal(notObject.status, 2);
  assert.deepEqual(lines(notObject.stderr), ['error: expected an object']);
});

// Too long for the kernel (PATH_MAX 4096, MAX_ARG_STRLEN 128 KiB): the profile is fine and
// the step that meets the limit fails in the child, as a result: exit 0, no stack trace.
describe('values only the kernel refuses are results', { concurrency: 2 }, () => {
  const long = (n: number) => `/${'a'.repeat(n)}`;
  const kernelCases: { what: string; input: JsonObject; step: string; code: string }[] = [
    { what: 'a path longer than PATH_MAX', input: top('path', long(5000)), step: 'execve', code: 'ENAMETOOLONG' },
    { what: 'a dir longer than PATH_MAX', input: top('dir', long(5000)), step: 'chdir', code: 'ENAMETOOLONG' },
    { what: 'a chroot longer than PATH_MAX', input: top('sys', { chroot: long(5000) }), step: 'chroot', code: 'ENAMETOOLONG' },
    { what: 'a file path longer than PATH_MAX', input: file3({ type: 'file', path: long(5000), mode: 'r' }), step: 'open', code: 'ENAMETOOLONG' },
    { what: 'an argument longer than MAX_ARG_STRLEN', input: top('args', ['true', 'x'.repeat(200_000)]), step: 'execve', code: 'E2BIG' },
    { what: 'an env entry longer than MAX_ARG_STRLEN', input: top('env', [`A=${'x'.repeat(200_000)}`]), step: 'execve', code: 'E2BIG' },
  ];
  for (const c of kernelCases) {
    test(`${c.what}: execError at ${c.step} ${c.code}`, async (t) => {
      const r = await cliAsync(['run', writeProfile(scratchDir(t), c.input), '--json']);
      assert.doesNotMatch(r.stderr, STACK_LINE);
      assert.equal(r.status, 0, r.stderr);
      const result = parseWhole(r.stdout);
      const execError = result.execError as { step: string; code: string };
      assert.deepEqual([execError.step, execError.code], [c.step, c.code]);
    });
  }
});
