// One request to the LabApi, as both transports receive it (an IPC channel, a WebSocket
// message): the method name and params are checked against src/shared/api-params.ts
// before the service sees them. Browser mode's own methods (BrowserSessionApi) go the
// same way to its server.
import type { z } from 'zod';

import type { BrowserSessionApi, LabApi } from '../../shared/api';
import { API_PARAMS, BROWSER_SESSION_PARAMS } from '../../shared/api-params';
import { formatProblem, parseOrProblems } from '../../shared/problems';

export type DispatchOutcome = { ok: true; result: unknown } | { ok: false; message: string };

export function dispatch(api: LabApi, method: unknown, params: unknown): Promise<DispatchOutcome> {
  return callChecked(api, API_PARAMS, method, params);
}

export function dispatchBrowserSession(session: BrowserSessionApi, method: unknown, params: unknown): Promise<DispatchOutcome> {
  return callChecked(session, BROWSER_SESSION_PARAMS, method, params);
}

// `schemas` names the methods there are (own keys only: never `__proto__` or `toString`)
// and checks each one's params.
async function callChecked(
  target: object,
  schemas: Readonly<Record<string, z.ZodType<unknown[]>>>,
  method: unknown,
  params: unknown,
): Promise<DispatchOutcome> {
  if (typeof method !== 'string' || !Object.hasOwn(schemas, method)) return { ok: false, message: `unknown method ${JSON.stringify(method)}` };
  const parsed = parseOrProblems(schemas[method]!, params);
  if (!parsed.ok) {
    return { ok: false, message: `invalid params for ${method}: ${parsed.problems.map(formatProblem).join('; ')}` };
  }
  // The schema's output is the method's parameter list (checked at compile time in api-params.ts).
  const call = (target as Record<string, (...args: unknown[]) => Promise<unknown>>)[method]!;
  try {
    return { ok: true, result: await call.apply(target, parsed.value) };
  } catch (err) {
    // What the service cannot answer as a result (an unreadable profiles folder, an engine
    // that is not built) is the request's error; it never takes the transport down.
    return { ok: false, message: `${method} failed: ${err instanceof Error ? err.message : String(err)}` };
  }
}
