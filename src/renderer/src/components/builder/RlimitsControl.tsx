// sys.rlimits: one row per resource limit the child sets (setrlimit), by its name without
// RLIMIT_; each limit a number or "unlimited". What does not parse stays as typed, so the
// lab's error shows at the row.
import { useId } from 'react';

import { RLIMITS } from '@shared/engine-names';
import { parseNumber, sysOf, type DraftSys } from '../../lib/draft';
import { updateDraft } from '../../stores/editor';
import { IconButton, Problems } from './ui';

type Limits = Record<string, { soft?: unknown; hard?: unknown }>;

const limitsOf = (value: unknown): Limits => (value && typeof value === 'object' && !Array.isArray(value) ? (value as Limits) : {});

function setLimits(edit: (limits: Limits) => Limits): void {
  updateDraft((d) => {
    const sys = sysOf(d.sys);
    return { ...d, sys: { ...sys, rlimits: edit(limitsOf(sys.rlimits)) as DraftSys['rlimits'] } };
  });
}

/** "unlimited" stays a word; a number becomes one; anything else stays as typed. */
const limitOf = (text: string): unknown => (text.trim() === 'unlimited' ? 'unlimited' : parseNumber(text));
const limitText = (value: unknown): string => (value === undefined || value === null ? '' : String(value));

// Renaming a row keeps its place and its limits.
function rename(limits: Limits, from: string, to: string): Limits {
  return Object.fromEntries(Object.entries(limits).map(([name, l]) => [name === from ? to : name, l]));
}

export function RlimitsControl({ value }: { value: unknown }) {
  const id = useId();
  const limits = limitsOf(value);
  const rows = Object.entries(limits);
  const unused = RLIMITS.filter((name) => !(name in limits));
  return (
    <div className="field" data-testid="field-rlimits">
      <span className="field-label" id={`${id}-label`}>rlimits <span className="muted">— setrlimit in the child</span></span>
      {rows.length > 0 && (
        <table className="grid-table compact rlimits-table" aria-labelledby={`${id}-label`}>
          <thead>
            <tr>
              <th scope="col">resource</th>
              <th scope="col">soft</th>
              <th scope="col">hard</th>
              <th scope="col"><span className="sr-only">Actions</span></th>
            </tr>
          </thead>
          <tbody>
            {rows.map(([name, limit]) => (
              <tr key={name} data-testid={`rlimit-${name}`}>
                <td>
                  <select aria-label={`Resource of the ${name} row`} data-testid={`rlimit-${name}-name`} value={name} onChange={(e) => setLimits((l) => rename(l, name, e.target.value))}>
                    {[name, ...unused].map((n) => (
                      <option key={n} value={n}>RLIMIT_{n}</option>
                    ))}
                  </select>
                </td>
                {(['soft', 'hard'] as const).map((part) => (
                  <td key={part}>
                    <input
                      type="text"
                      className="mono narrow"
                      aria-label={`${name} ${part} limit`}
                      data-testid={`rlimit-${name}-${part}`}
                      placeholder="unlimited"
                      value={limitText(limit?.[part])}
                      spellCheck={false}
                      onChange={(e) => setLimits((l) => ({ ...l, [name]: { ...l[name], [part]: limitOf(e.target.value) } }))}
                    />
                  </td>
                ))}
                <td className="row-actions">
                  <IconButton label={`Remove the ${name} limit`} testId={`rlimit-${name}-remove`} onClick={() => setLimits((l) => Object.fromEntries(Object.entries(l).filter(([n]) => n !== name)))} danger>
                    ×
                  </IconButton>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <Problems at="sys.rlimits" />
      {unused.length > 0 && (
        <button type="button" className="add-button" data-testid="rlimit-add" onClick={() => setLimits((l) => ({ ...l, [unused.includes('NOFILE') ? 'NOFILE' : unused[0]!]: { soft: 1024, hard: 1024 } }))}>
          + Add a limit
        </button>
      )}
      <p className="field-hint">A number, or unlimited. Raising a hard limit needs CAP_SYS_RESOURCE.</p>
    </div>
  );
}
