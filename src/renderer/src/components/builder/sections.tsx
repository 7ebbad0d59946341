// The builder's sections for the parts of a profile with controls of their own (program,
// directory, files); the environment and secrets have files of their own, and the simple
// fields are drawn from their descriptions (FieldsSection.tsx). Each section gets only its
// part of the draft and is memoized, so an edit renders the section it is in, not the whole
// builder; the rows of a list are memoized too, with callbacks that never change (they edit
// the active draft by index).
import { memo, useId, useRef, type CSSProperties } from 'react';

import { FILE_MODES, type FileMode } from '@shared/fields';
import { BYTES_HINT, fileOfType, isBytes, textOf, type Draft, type DraftFile } from '../../lib/draft';
import { updateDraft, useEditor } from '../../stores/editor';
import { useRowsWithProblems } from '../../stores/field-problems';
import { LookupPreview } from './LookupPreview';
import { BLOCK_ROWS, blockStarts, sameBlock, type RowBlockProps } from './row-blocks';
import { IconButton, NumberInput, ProblemRow, Problems, Section, TextField, useProblems } from './ui';
import { useBlocksNearView } from './useBlocksNearView';
import { useMeasuredRowHeight } from './useMeasuredRowHeight';

type FileEntry = DraftFile;
type FileType = FileEntry['type'];

/** Sets one field of the draft. */
const set = <K extends keyof Draft>(key: K, value: Draft[K]) => updateDraft((d) => ({ ...d, [key]: value }));

const baseName = (path: string): string => path.slice(path.lastIndexOf('/') + 1);
const str = textOf;
const optional = (v: string): string | undefined => (v === '' ? undefined : v);

export const ProfileSection = memo(function ProfileSection({ name, description }: Pick<Draft, 'name' | 'description'>) {
  return (
    <Section title="Profile">
      <TextField label="Name" testId="field-name" field="name" value={str(name)} onChange={(v) => set('name', v)} />
      <TextField
        label="Description"
        testId="field-description"
        field="description"
        value={str(description)}
        onChange={(v) => set('description', optional(v))}
        placeholder="What this launch shows"
        multiline
      />
    </Section>
  );
});

const argsOf = (draft: Draft): NonNullable<Draft['args']> => (Array.isArray(draft.args) ? draft.args : []);

function setArg(i: number, value: string): void {
  updateDraft((d) => {
    const next = [...argsOf(d)];
    while (next.length < i) next.push('');
    next[i] = value;
    return { ...d, args: next };
  });
}
function setArgv0(value: string): void {
  updateDraft((d) => {
    const current = argsOf(d);
    // argv[0] cleared with nothing after it: no args at all (the lab warns about argc 0).
    if (value === '' && current.length <= 1) return { ...d, args: [] };
    return { ...d, args: [value, ...current.slice(1)] };
  });
}
function addArg(): void {
  updateDraft((d) => {
    const current = argsOf(d);
    return { ...d, args: current.length === 0 ? ['', ''] : [...current, ''] };
  });
}
const removeArg = (i: number) => updateDraft((d) => ({ ...d, args: argsOf(d).filter((_, j) => j !== i) }));

// argv[0] follows the path while it is the path's last part (or empty), as exec.Command sets it.
function setPath(value: string): void {
  updateDraft((d) => {
    const current = argsOf(d);
    const old = typeof d.path === 'string' ? d.path : '';
    const linked = current.length > 0 && (current[0] === '' || current[0] === baseName(old));
    return linked ? { ...d, path: value, args: [baseName(value), ...current.slice(1)] } : { ...d, path: value };
  });
}

export const ProgramSection = memo(function ProgramSection(program: Pick<Draft, 'path' | 'args'>) {
  const lookup = useEditor((s) => s.lookup);
  const path = str(program.path);
  const args = Array.isArray(program.args) ? program.args : [];

  // Bytes are not looked up before the launch (the launch does).
  const preview =
    isBytes(program.path) || path === '' ? null : <LookupPreview program={path} view={lookup?.program === path ? lookup.view : undefined} />;

  return (
    <Section title="Program" hint="The file to execute (Go's argv0) and the argument vector the program sees, argv[0] included.">
      <TextField
        label="Path"
        testId="field-path"
        field="path"
        value={path}
        onChange={setPath}
        mono
        placeholder="/bin/ls, or a name looked up in PATH"
        after={preview}
        readOnly={isBytes(program.path)}
        hint={isBytes(program.path) ? BYTES_HINT : undefined}
      />
      <TextField
        label="argv[0]"
        testId="field-argv0"
        field="argv0"
        value={str(args[0])}
        onChange={setArgv0}
        mono
        readOnly={isBytes(args[0])}
        hint={isBytes(args[0]) ? BYTES_HINT : 'What the program sees as its own name; usually the last part of the path.'}
      />
      <div className="field">
        <span className="field-label" id="args-label">Arguments</span>
        <ol className="arg-list" aria-labelledby="args-label" start={1}>
          {args.slice(1).map((arg, k) => (
            <ArgRow key={k + 1} index={k + 1} value={str(arg)} bytes={isBytes(arg)} />
          ))}
        </ol>
        <button type="button" className="add-button" data-testid="arg-add" onClick={addArg}>
          + Add argument
        </button>
      </div>
    </Section>
  );
});

const ArgRow = memo(function ArgRow({ index, value, bytes }: { index: number; value: string; bytes: boolean }) {
  const id = useId();
  return (
    <li className="arg-row">
      <div className="row-line">
        <label htmlFor={id} className="row-index mono">argv[{index}]</label>
        <input id={id} type="text" className="mono" data-testid={`arg-${index}`} value={value} spellCheck={false} readOnly={bytes} title={bytes ? BYTES_HINT : undefined} onChange={(e) => setArg(index, e.target.value)} />
        <IconButton label={`Remove argv[${index}]`} testId={`arg-remove-${index}`} onClick={() => removeArg(index)} danger>
          ×
        </IconButton>
      </div>
      <Problems at={`args[${index}]`} />
    </li>
  );
});

export const DirectorySection = memo(function DirectorySection({ dir }: Pick<Draft, 'dir'>) {
  return (
    <Section title="Directory">
      <TextField
        label="Working directory"
        testId="field-dir"
        field="dir"
        value={str(dir)}
        onChange={(v) => set('dir', optional(v))}
        mono
        readOnly={isBytes(dir)}
        hint={isBytes(dir) ? BYTES_HINT : undefined}
        placeholder="(empty: no chdir, the lab's own directory)"
      />
    </Section>
  );
});

const FILE_TYPES: readonly { value: FileType; label: string }[] = [
  { value: 'null', label: 'null' },
  { value: 'pipe', label: 'pipe' },
  { value: 'inherit', label: 'inherit' },
  { value: 'file', label: 'file' },
  { value: 'closed', label: 'closed' },
  { value: 'pty', label: 'pty' },
];

const STD_NAMES = ['stdin', 'stdout', 'stderr'];

const filesOf = (draft: Draft): FileEntry[] => (Array.isArray(draft.files) ? draft.files : []);

function setFile(i: number, file: FileEntry): void {
  updateDraft((d) => {
    const next = [...filesOf(d)];
    next[i] = file;
    return { ...d, files: next };
  });
}
function moveFile(i: number, by: -1 | 1): void {
  updateDraft((d) => {
    const next = [...filesOf(d)];
    const j = i + by;
    if (j < 0 || j >= next.length) return d;
    [next[i], next[j]] = [next[j]!, next[i]!];
    return { ...d, files: next };
  });
}
const removeFile = (i: number) => updateDraft((d) => ({ ...d, files: filesOf(d).filter((_, j) => j !== i) }));
const addFile = () => updateDraft((d) => ({ ...d, files: [...filesOf(d), { type: 'null' }] }));

export const FilesSection = memo(function FilesSection({ files: entries, stdin }: Pick<Draft, 'files' | 'stdin'>) {
  const files = Array.isArray(entries) ? entries : [];
  const first = files[0];
  const showStdin = first?.type === 'pipe' || (typeof stdin === 'string' && stdin !== '');
  const countId = useId();
  const table = useRef<HTMLTableElement>(null);
  useMeasuredRowHeight(table, files.length);
  return (
    <Section title="Files" hint="One row per child descriptor (Go's ProcAttr.Files): row N becomes fd N in the child.">
      <Problems at="files" />
      {/* Explicit roles: the table's display is not a table's (row-blocks.ts, .files-table in styles.css). */}
      {/* Rows far from the view are not in the page yet (FileBlocks): a screen reader is told how many there are. */}
      <span id={countId} className="sr-only">
        {files.length === 1 ? '1 descriptor' : `${files.length} descriptors`}
        {files.length > BLOCK_ROWS ? '; rows far from the view are drawn as they scroll near' : ''}
      </span>
      <table ref={table} className="grid-table files-table" role="table" aria-label="Files: the child's descriptors" aria-describedby={countId}>
        <thead role="rowgroup">
          <tr role="row">
            <th scope="col" role="columnheader">fd</th>
            <th scope="col" role="columnheader">Source</th>
            <th scope="col" role="columnheader">Details</th>
            <th scope="col" role="columnheader"><span className="sr-only">Actions</span></th>
          </tr>
        </thead>
        <FileBlocks files={files} />
      </table>
      <button type="button" className="add-button" data-testid="file-add" onClick={addFile}>
        + Add fd {files.length}
      </button>
      {showStdin && (
        <TextField
          label="Text for the pipe on fd 0"
          testId="field-stdin"
          field="stdin"
          value={str(stdin)}
          onChange={(v) => set('stdin', optional(v))}
          mono
          multiline
          readOnly={isBytes(stdin)}
          hint={isBytes(stdin) ? BYTES_HINT : first?.type === 'pipe' ? 'Written to the pipe, then the pipe is closed (EOF).' : 'Only used when fd 0 is a pipe.'}
        />
      )}
    </Section>
  );
});

/**
 * The files' rows in blocks (row-blocks.ts). A block's rows are drawn once it comes near the
 * view (useBlocksNearView.ts), or at once when one of them has problems to show (the editor
 * bar's error count leads to them); until then it is an empty block as high as its rows.
 */
function FileBlocks({ files }: { files: readonly FileEntry[] }) {
  const { near, watch } = useBlocksNearView();
  const problems = useRowsWithProblems('files');
  return blockStarts(files.length).map((start) => {
    const entries = files.slice(start, start + BLOCK_ROWS);
    if (near.has(start) || entries.some((_, k) => problems.has(start + k))) {
      return <FileRowBlock key={start} start={start} entries={entries} total={files.length} />;
    }
    return (
      <tbody
        key={start}
        ref={watch}
        role="rowgroup"
        className="rows-pending"
        style={{ '--rows': entries.length } as CSSProperties}
        aria-hidden
        data-testid="file-rows-pending"
        data-first={start}
      />
    );
  });
}

/** A block of the files' rows; `total` tells its last row that it is the last (no Move down). */
const FileRowBlock = memo(
  function FileRowBlock({ start, entries, total }: RowBlockProps & { total: number }) {
    return (
      <tbody role="rowgroup" className="row-block" style={{ '--rows': entries.length } as CSSProperties}>
        {entries.map((file, k) => (
          <FileRow key={start + k} fd={start + k} file={file as FileEntry} last={start + k === total - 1} />
        ))}
      </tbody>
    );
  },
  (a, b) => sameBlock(a, b) && a.total === b.total,
);

const FileRow = memo(function FileRow({ fd, file, last }: { fd: number; file: FileEntry; last: boolean }) {
  const typeId = useId();
  const problems = useProblems(`files[${fd}]`);
  const onChange = (next: FileEntry) => setFile(fd, next);
  const type = (file?.type ?? 'null') as FileType;
  return (
    <>
      <tr role="row" data-testid={`file-row-${fd}`} className={problems.length ? 'has-problem' : undefined}>
        <td role="cell" className="fd-cell mono">
          <span className="fd-number">{fd}</span>
          {fd < 3 && <span className="fd-std">{STD_NAMES[fd]}</span>}
        </td>
        <td role="cell">
          <label htmlFor={typeId} className="sr-only">Source of fd {fd}</label>
          <select id={typeId} data-testid={`file-type-${fd}`} value={type} onChange={(e) => onChange(fileOfType(e.target.value as FileType, fd, file))}>
            {FILE_TYPES.map((t) => (
              <option key={t.value} value={t.value}>
                {t.label}
              </option>
            ))}
          </select>
        </td>
        <td role="cell" className="file-details">
          <FileDetails fd={fd} file={file} onChange={onChange} />
        </td>
        <td role="cell" className="row-actions">
          <IconButton label={`Move fd ${fd} up`} testId={`file-up-${fd}`} onClick={() => moveFile(fd, -1)} disabled={fd === 0}>
            ↑
          </IconButton>
          <IconButton label={`Move fd ${fd} down`} testId={`file-down-${fd}`} onClick={() => moveFile(fd, 1)} disabled={last}>
            ↓
          </IconButton>
          <IconButton label={`Remove fd ${fd}`} testId={`file-remove-${fd}`} onClick={() => removeFile(fd)} danger>
            ×
          </IconButton>
        </td>
      </tr>
      {problems.length > 0 && <ProblemRow at={`files[${fd}]`} />}
    </>
  );
});

function FileDetails({ fd, file, onChange }: { fd: number; file: FileEntry; onChange(f: FileEntry): void }) {
  const id = useId();
  switch (file?.type) {
    case 'inherit':
      return (
        <div className="inline-fields">
          <label htmlFor={id} className="nowrap">the lab’s fd</label>
          <NumberInput id={id} data-testid={`file-fd-${fd}`} className="mono narrow" value={file.fd} onChange={(v) => onChange({ ...file, fd: v as number })} />
        </div>
      );
    case 'file':
      return (
        <div className="inline-fields wrap">
          <label htmlFor={`${id}-path`} className="sr-only">Path of fd {fd}</label>
          <input
            id={`${id}-path`}
            type="text"
            className="mono grow"
            data-testid={`file-path-${fd}`}
            placeholder="/tmp/out.txt"
            value={str(file.path)}
            spellCheck={false}
            readOnly={isBytes(file.path)}
            title={isBytes(file.path) ? BYTES_HINT : undefined}
            onChange={(e) => onChange({ ...file, path: e.target.value })}
          />
          <label htmlFor={`${id}-mode`} className="sr-only">Open mode of fd {fd}</label>
          <select id={`${id}-mode`} data-testid={`file-mode-${fd}`} value={file.mode} onChange={(e) => onChange({ ...file, mode: e.target.value as FileMode })} title="r: read · w: write · a: append · rw: read and write">
            {FILE_MODES.map((m) => (
              <option key={m} value={m}>
                {m}
              </option>
            ))}
          </select>
          <span className="check-inline">
            <input type="checkbox" id={`${id}-create`} data-testid={`file-create-${fd}`} checked={file.create === true} onChange={(e) => onChange({ ...file, create: e.target.checked })} />
            <label htmlFor={`${id}-create`}>create</label>
          </span>
          <span className="check-inline">
            <input type="checkbox" id={`${id}-trunc`} data-testid={`file-truncate-${fd}`} checked={file.truncate === true} onChange={(e) => onChange({ ...file, truncate: e.target.checked })} />
            <label htmlFor={`${id}-trunc`}>truncate</label>
          </span>
        </div>
      );
    case 'pipe':
      return <span className="muted">{fd === 0 ? 'a pipe fed from the text below, then EOF' : `a pipe captured by the lab: output ${fd}`}</span>;
    case 'pty':
      return <span className="muted">the slave side of the run’s pseudo-terminal</span>;
    case 'null':
      return <span className="muted"><span className="mono">/dev/null</span>, read-write</span>;
    case 'closed':
      return <span className="muted">closed in the child (Go’s -1)</span>;
    default:
      return null;
  }
}
