// The environment: the inherit switch, the table of rows as typed, and the paste box.
// The table may hold thousands of rows. It is cut into blocks of rows, each memoized on its
// entries, and each row on its own entry, with callbacks that never change: typing in a row
// renders that block and that row alone (typing anywhere else, nothing here), and a row's
// problems reach it through its own subscription (stores/field-problems.ts). A block out of
// view is not laid out or painted either (content-visibility, .env-block in styles.css).
import { memo, useId, useState, type CSSProperties } from 'react';

import { envEntryOfRow, type EnvRow } from '@shared/env-entry';
import { parseEnvPaste, type EnvPasteProblem } from '@shared/env-paste';
import { BYTES_HINT, envRowOf, isBytes, type Draft } from '../../lib/draft';
import { updateDraft } from '../../stores/editor';
import { BLOCK_ROWS, blockStarts, sameBlock, type RowBlockProps } from './row-blocks';
import { CheckField, IconButton, ProblemRow, Problems, Section, useProblems } from './ui';

const envOf = (draft: Draft): NonNullable<Draft['env']> => (Array.isArray(draft.env) ? draft.env : []);

// A row goes back as its entry, or as the row itself when it has none (lib/draft.ts).
function setRow(i: number, row: EnvRow): void {
  updateDraft((d) => {
    const next = [...envOf(d)];
    next[i] = envEntryOfRow(row) as string;
    return { ...d, env: next };
  });
}
const removeRow = (i: number) => updateDraft((d) => ({ ...d, env: envOf(d).filter((_, j) => j !== i) }));
const addRow = () => updateDraft((d) => ({ ...d, env: [...envOf(d), ''] }));
const appendEntries = (entries: string[]) => updateDraft((d) => ({ ...d, env: [...envOf(d), ...entries] }));
const setInheritEnv = (inheritEnv: boolean) => updateDraft((d) => ({ ...d, inheritEnv }));

export const EnvironmentSection = memo(function EnvironmentSection({ env, inheritEnv }: Pick<Draft, 'env' | 'inheritEnv'>) {
  const entries = Array.isArray(env) ? env : [];
  return (
    <Section title="Environment">
      <CheckField
        label="Inherit the lab's environment"
        testId="field-inheritEnv"
        field="inheritEnv"
        checked={inheritEnv === true}
        onChange={setInheritEnv}
        hint={inheritEnv ? "The host's environment first, then these entries on top." : 'Off: the child gets exactly these entries (as Go does).'}
      />
      <Problems at="env" />
      {entries.length > 0 && (
        // Explicit roles: the table's display is not a table's (see .env-table in styles.css).
        <table className="grid-table env-table" role="table" aria-label="Environment variables">
          <thead role="rowgroup">
            <tr role="row">
              <th scope="col" role="columnheader">#</th>
              <th scope="col" role="columnheader">Name</th>
              <th scope="col" role="columnheader">Value</th>
              <th scope="col" role="columnheader"><span className="sr-only">Actions</span></th>
            </tr>
          </thead>
          {blockStarts(entries.length).map((start) => (
            <EnvRowBlock key={start} start={start} entries={entries.slice(start, start + BLOCK_ROWS)} />
          ))}
        </table>
      )}
      <button type="button" className="add-button" data-testid="env-add" onClick={addRow}>
        + Add variable
      </button>
      <EnvPasteBox />
    </Section>
  );
});

/** A block of the table's rows, from row `start` on; `--rows` gives its height while it is out of view and not laid out. */
const EnvRowBlock = memo(function EnvRowBlock({ start, entries }: RowBlockProps) {
  return (
    <tbody role="rowgroup" className="env-block" style={{ '--rows': entries.length } as CSSProperties}>
      {entries.map((entry, k) => (
        <EnvRowEditor key={start + k} index={start + k} entry={entry} />
      ))}
    </tbody>
  );
}, sameBlock);

const EnvRowEditor = memo(function EnvRowEditor({ index, entry }: { index: number; entry: unknown }) {
  const problems = useProblems(`env[${index}]`);
  const row = envRowOf(entry);
  const bytes = isBytes(entry);
  return (
    <>
      <tr role="row" className={problems.length ? 'has-problem' : undefined}>
        <td role="cell" className="row-index mono">{index}</td>
        <td role="cell">
          <input type="text" className="mono" aria-label={`Name of variable ${index}`} data-testid={`env-key-${index}`} value={row.name} spellCheck={false} readOnly={bytes} title={bytes ? BYTES_HINT : undefined} onChange={(e) => setRow(index, { ...row, name: e.target.value })} />
        </td>
        <td role="cell">
          <input type="text" className="mono" aria-label={`Value of variable ${index}`} data-testid={`env-value-${index}`} value={row.value} spellCheck={false} readOnly={bytes} title={bytes ? BYTES_HINT : undefined} onChange={(e) => setRow(index, { ...row, value: e.target.value })} />
        </td>
        <td role="cell">
          <IconButton label={`Remove variable ${index}`} testId={`env-remove-${index}`} onClick={() => removeRow(index)} danger>
            ×
          </IconButton>
        </td>
      </tr>
      {problems.length > 0 && <ProblemRow at={`env[${index}]`} />}
    </>
  );
});

/** What a shell would set is appended to the table; each line it cannot take is named below the box. */
function EnvPasteBox() {
  const [paste, setPaste] = useState('');
  const [pasteProblems, setPasteProblems] = useState<EnvPasteProblem[]>([]);
  const pasteId = useId();
  const applyPaste = () => {
    const { entries, problems } = parseEnvPaste(paste);
    if (entries.length > 0) appendEntries(entries);
    setPasteProblems(problems);
    setPaste('');
  };
  return (
    <div className="paste-box">
      <label htmlFor={pasteId}>Paste NAME=value lines, read as a shell reads them (export, quotes and # comments are fine)</label>
      <textarea
        id={pasteId}
        data-testid="env-paste"
        className="mono"
        rows={2}
        value={paste}
        placeholder={'LANG=C.UTF-8\nTERM=xterm-256color'}
        spellCheck={false}
        onChange={(e) => setPaste(e.target.value)}
      />
      <button type="button" className="small" data-testid="env-paste-apply" onClick={applyPaste} disabled={paste.trim() === ''}>
        Append to the table
      </button>
      {pasteProblems.length > 0 && (
        <ul className="problems" aria-label="Pasted lines not taken">
          {pasteProblems.map((p, i) => (
            <li key={i} className="problem problem-warning" data-testid="env-paste-problem">
              <span className="problem-icon" aria-hidden="true">⚠</span>
              <span className="problem-text">
                line {p.line} not taken (<code>{p.text}</code>): {p.message}
              </span>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
