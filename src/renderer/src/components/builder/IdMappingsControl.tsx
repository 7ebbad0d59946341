// sys.uidMappings and sys.gidMappings: the lines of a new user namespace's uid_map or
// gid_map (user_namespaces(7)), one row each: size ids from containerId inside map to hostId
// outside. Numbers may be raw text (lib/draft.ts): the lab's error shows at the row.
import { useId } from 'react';

import { sysOf, type DraftSys } from '../../lib/draft';
import { updateDraft } from '../../stores/editor';
import { IconButton, NumberInput, Problems } from './ui';

type Key = 'uidMappings' | 'gidMappings';
type Mapping = NonNullable<DraftSys['uidMappings']>[number];
type Part = keyof Mapping;

const PARTS: readonly { part: Part; label: string }[] = [
  { part: 'containerId', label: 'inside (containerId)' },
  { part: 'hostId', label: 'outside (hostId)' },
  { part: 'size', label: 'how many (size)' },
];

const mappingsOf = (value: unknown): Mapping[] => (Array.isArray(value) ? value : []);

function setMappings(key: Key, edit: (maps: Mapping[]) => Mapping[]): void {
  updateDraft((d) => {
    const sys = sysOf(d.sys);
    return { ...d, sys: { ...sys, [key]: edit(mappingsOf(sys[key])) } };
  });
}

function IdMappings({ which, value }: { which: Key; value: unknown }) {
  const id = useId();
  const maps = mappingsOf(value);
  const kind = which === 'uidMappings' ? 'uid' : 'gid';
  const setPart = (row: number, part: Part, v: number | string | undefined) =>
    setMappings(which, (list) => list.map((m, i) => (i === row ? { ...m, [part]: v } : m)));
  return (
    <div className="field" data-testid={`field-${which}`}>
      <span className="field-label" id={`${id}-label`}>
        {which} <span className="muted">— lines of /proc/PID/{kind}_map</span>
      </span>
      {maps.length > 0 && (
        <table className="grid-table compact mappings-table" aria-labelledby={`${id}-label`}>
          <thead>
            <tr>
              {PARTS.map(({ part, label }) => (
                <th scope="col" key={part}>{label}</th>
              ))}
              <th scope="col"><span className="sr-only">Actions</span></th>
            </tr>
          </thead>
          <tbody>
            {maps.map((m, row) => (
              <tr key={row}>
                {PARTS.map(({ part, label }) => (
                  <td key={part}>
                    <NumberInput
                      aria-label={`${which} line ${row + 1}: ${label}`}
                      data-testid={`${which}-${row}-${part}`}
                      className="mono narrow"
                      value={m?.[part]}
                      onChange={(v) => setPart(row, part, v)}
                    />
                  </td>
                ))}
                <td className="row-actions">
                  <IconButton label={`Remove ${which} line ${row + 1}`} testId={`${which}-remove-${row}`} onClick={() => setMappings(which, (list) => list.filter((_, i) => i !== row))} danger>
                    ×
                  </IconButton>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <Problems at={`sys.${which}`} />
      <button type="button" className="add-button" data-testid={`${which}-add`} onClick={() => setMappings(which, (list) => [...list, { containerId: 0, hostId: 0, size: 1 }])}>
        + Add a {kind} map line
      </button>
      <p className="field-hint">hostId is an id of the lab’s own namespace: a lab that is not root may map only its own {kind}.</p>
    </div>
  );
}

export function UidMappingsControl({ value }: { value: unknown }) {
  return <IdMappings which="uidMappings" value={value} />;
}

export function GidMappingsControl({ value }: { value: unknown }) {
  return <IdMappings which="gidMappings" value={value} />;
}
