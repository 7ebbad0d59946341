// The lab's problems with the active draft, placed at the builder's fields (lib/problems.ts).
// They are placed again only when the lab answers (or a refused save or launch adds its
// own), or when the fields on screen change (a row added or removed); typing in a field
// does neither. A field's list keeps its identity while its problems stay the same, so a
// field, or one of 2,000 environment rows, re-renders only when its own problems change.
import { create } from 'zustand';

import type { Problem } from '@shared/problems';
import type { Draft } from '../lib/draft';
import { placeProblems, type PlacedProblem } from '../lib/problems';
import { activeSession, useEditor, type EditorState } from './editor';

interface FieldProblemsState {
  byField: ReadonlyMap<string, PlacedProblem[]>;
}

const useFieldProblems = create<FieldProblemsState>()(() => ({ byField: new Map() }));

const NONE: PlacedProblem[] = [];

/** The problems shown at `field` (`name`, `env[3]`, `top`...). */
export function useProblems(field: string): PlacedProblem[] {
  return useFieldProblems((s) => s.byField.get(field) ?? NONE);
}

type Table = 'args' | 'env' | 'secrets' | 'files';

/** A row's own field (`files[3]`): its table and index; null for any other field. */
function rowOf(field: string): { table: Table; index: number } | null {
  const row = /^(args|env|secrets|files)\[(\d+)\]$/.exec(field);
  return row ? { table: row[1] as Table, index: Number(row[2]) } : null;
}

// The rows of each table with problems (`files[3]` -> files: 3), worked out once per placing.
const rowsByPlacing = new WeakMap<ReadonlyMap<string, PlacedProblem[]>, Map<Table, Set<number>>>();
const NO_ROWS: ReadonlySet<number> = new Set();

function rowsWithProblems(byField: ReadonlyMap<string, PlacedProblem[]>, table: Table): ReadonlySet<number> {
  let rows = rowsByPlacing.get(byField);
  if (!rows) {
    rows = new Map();
    for (const field of byField.keys()) {
      const row = rowOf(field);
      if (row) rows.set(row.table, (rows.get(row.table) ?? new Set<number>()).add(row.index));
    }
    rowsByPlacing.set(byField, rows);
  }
  return rows.get(table) ?? NO_ROWS;
}

/** The rows of a table (`files`) that have problems to show. */
export function useRowsWithProblems(table: Table): ReadonlySet<number> {
  return useFieldProblems((s) => rowsWithProblems(s.byField, table));
}

/** Which of the fields that problems can be placed at are on screen: those not always there. */
interface Shape {
  args: number;
  env: number;
  secrets: number;
  files: number;
  stdin: boolean;
  credential: boolean;
}

function shapeOf(draft: Draft | undefined): Shape | null {
  if (!draft) return null;
  const length = (v: unknown) => (Array.isArray(v) ? v.length : 0);
  const files = Array.isArray(draft.files) ? draft.files : [];
  return {
    args: length(draft.args),
    env: length(draft.env),
    secrets: length(draft.secrets),
    files: files.length,
    stdin: files[0]?.type === 'pipe' || (typeof draft.stdin === 'string' && draft.stdin !== ''),
    credential: !!(draft.sys && typeof draft.sys === 'object' && draft.sys.credential),
  };
}

const sameShape = (a: Shape | null, b: Shape | null): boolean =>
  a === b || (!!a && !!b && a.args === b.args && a.env === b.env && a.secrets === b.secrets && a.files === b.files && a.stdin === b.stdin && a.credential === b.credential);

function shownIn(shape: Shape | null): (field: string) => boolean {
  return (field) => {
    const row = rowOf(field);
    if (row) return row.index < (shape?.[row.table] ?? 0);
    if (field === 'stdin') return shape?.stdin === true;
    if (field.startsWith('credential.')) return shape?.credential === true;
    return true;
  };
}

const sameProblems = (a: readonly PlacedProblem[], b: readonly PlacedProblem[]): boolean =>
  a.length === b.length && a.every((p, i) => p.kind === b[i]!.kind && p.path === b[i]!.path && p.message === b[i]!.message);

function place(state: EditorState, shape: Shape | null): void {
  const errors: Problem[] = [...(state.checks?.errors ?? [])];
  for (const p of state.extraErrors) if (!errors.some((e) => e.path === p.path && e.message === p.message)) errors.push(p);
  const placed = placeProblems(errors, state.checks?.warnings ?? [], shownIn(shape));
  const previous = useFieldProblems.getState().byField;
  for (const [field, problems] of placed) {
    const before = previous.get(field);
    if (before && sameProblems(before, problems)) placed.set(field, before);
  }
  useFieldProblems.setState({ byField: placed });
}

let placedFor: Shape | null = null;

useEditor.subscribe((state, prev) => {
  const shape = shapeOf(activeSession(state)?.draft);
  if (state.checks === prev.checks && state.extraErrors === prev.extraErrors && sameShape(shape, placedFor)) return;
  placedFor = shape;
  place(state, shape);
});
