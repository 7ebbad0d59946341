// One request to the LabApi, as both transports receive it (an IPC channel, a WebSocket
// message): the method name and params are checked against src/shared/api-params.ts
// before the service sees them.
import { API_METHODS, type ApiMethod, type LabApi } from '../../shared/api';
import { API_PARAMS } from '../../shared/api-params';
import { formatProblem, parseOrProblems } from '../../shared/problems';

export type DispatchOutcome = { ok: true; result: unknown } | { ok: false; message: string };

export function isApiMethod(method: unknown): method is ApiMethod {
  return typeof method === 'string' && (API_METHODS as readonly string[]).includes(method);
}

export async function dispatch(api: LabApi, method: unknown, params: unknown): Promise<DispatchOutcome> {
  if (!isApiMethod(method)) return { ok: false, message: `unknown method ${JSON.stringify(method)}` };
  const parsed = parseOrProblems(API_PARAMS[method], params);
  if (!parsed.ok) {
    return { ok: false, message: `invalid params for ${method}: ${parsed.problems.map(formatProblem).join('; ')}` };
  }
  // The schema's output is the method's parameter list (checked at compile time in api-params.ts).
  const call = api[method] as (...args: unknown[]) => Promise<unknown>;
  try {
    return { ok: true, result: await call.apply(api, parsed.value) };
  } catch (err) {
    // What the service cannot answer as a result (an unreadable profiles folder, an engine
    // that is not built) is the request's error; it never takes the transport down.
    return { ok: false, message: `${method} failed: ${err instanceof Error ? err.message : String(err)}` };
  }
}
