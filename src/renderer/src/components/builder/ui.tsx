// Small form primitives for the builder: every control has a label, and its problems
// (from the lab's validation) right beside it.
import { useEffect, useId, useRef, useState, type ReactNode } from 'react';

import { numberText, parseNumber } from '../../lib/draft';
import type { PlacedProblem } from '../../lib/problems';
import { useProblems } from '../../stores/field-problems';

/** The problems placed at a field: each field subscribes to its own list. */
export { useProblems };

export function Problems({ at, id }: { at: string; id?: string }) {
  const problems = useProblems(at);
  if (problems.length === 0) return null;
  return (
    <ul className="problems" id={id}>
      {problems.map((p, i) => (
        <li key={i} className={`problem problem-${p.kind}`} data-testid="problem" data-path={p.path} data-kind={p.kind}>
          <span className="problem-icon" aria-hidden="true">{p.kind === 'error' ? '✗' : '⚠'}</span>
          <span className="problem-text">
            {showPath(at, p.path) && <code className="problem-path">{p.path}</code>}
            {p.message}
          </span>
        </li>
      ))}
    </ul>
  );
}

/** The problems of a table row, on a row of their own under it (roles as the environment table needs them). */
export function ProblemRow({ at }: { at: string }) {
  return (
    <tr role="row" className="problem-row">
      <td role="cell" />
      <td role="cell" colSpan={3}>
        <Problems at={at} />
      </td>
    </tr>
  );
}

/** The path is worth showing when the field covers several paths (a files row, a list, the top). */
function showPath(field: string, path: string): boolean {
  if (path === field || path === '') return false;
  if (path.startsWith(`${field}[`) || path.startsWith(`${field}.`)) return true;  // a part of the field
  if (field === 'top' || field === 'credential' || field === 'files' || field === 'env' || field === 'credential.groups') return true;
  return /^files\[\d+\]$/.test(field) && path !== field;
}

function invalidProps(problems: PlacedProblem[], describedBy: string) {
  if (problems.length === 0) return {};
  return {
    'aria-invalid': problems.some((p) => p.kind === 'error') ? true : undefined,
    'aria-describedby': describedBy,
  } as const;
}

export function Section({ title, children, hint, id }: { title: string; children: ReactNode; hint?: ReactNode; id?: string }) {
  const headingId = useId();
  return (
    <section className="builder-section" aria-labelledby={headingId} id={id}>
      <h3 id={headingId}>{title}</h3>
      {hint && <p className="section-hint">{hint}</p>}
      {children}
    </section>
  );
}

/**
 * A field's frame: its label, the control (drawn by `control`, given the control's id and the
 * props that tie it to its problems), its hint, and its problems right under it.
 */
export function LabelledField({ label, field, hint, className = 'field', control }: {
  label: ReactNode;
  field: string;
  hint?: ReactNode;
  className?: string;
  control(props: { id: string; invalid: ReturnType<typeof invalidProps> }): ReactNode;
}) {
  const id = useId();
  const problems = useProblems(field);
  return (
    <div className={className}>
      <label htmlFor={id}>{label}</label>
      <div className="field-control">{control({ id, invalid: invalidProps(problems, `${id}-problems`) })}</div>
      {hint && <p className="field-hint">{hint}</p>}
      <Problems at={field} id={`${id}-problems`} />
    </div>
  );
}

interface TextFieldProps {
  label: string;
  testId: string;
  field: string;
  value: string;
  onChange(value: string): void;
  placeholder?: string;
  hint?: ReactNode;
  mono?: boolean;
  after?: ReactNode;
  multiline?: boolean;
  readOnly?: boolean;
}

export function TextField({ label, testId, field, value, onChange, placeholder, hint, mono, after, multiline, readOnly }: TextFieldProps) {
  return (
    <LabelledField
      label={label}
      field={field}
      hint={hint}
      control={({ id, invalid }) => {
        const common = { id, 'data-testid': testId, value, placeholder, className: mono ? 'mono' : undefined, spellCheck: false, readOnly, ...invalid };
        return (
          <>
            {multiline ? (
              <textarea {...common} rows={2} onChange={(e) => onChange(e.target.value)} />
            ) : (
              <input type="text" {...common} onChange={(e) => onChange(e.target.value)} />
            )}
            {after}
          </>
        );
      }}
    />
  );
}

/**
 * A number typed as text: what parses is sent as a number, what does not is sent as the
 * typed text (so the schema's error shows here). The text typed is kept as typed.
 */
export function NumberInput({
  value,
  onChange,
  ...rest
}: { value: unknown; onChange(value: number | string | undefined): void } & Omit<React.InputHTMLAttributes<HTMLInputElement>, 'value' | 'onChange'> & { 'data-testid'?: string }) {
  const [text, setText] = useState(() => numberText(value));
  const last = useRef<unknown>(value);
  useEffect(() => {
    // Changed from elsewhere (another profile, a reload): show the new value.
    if (value !== last.current) {
      last.current = value;
      if (parseNumber(text) !== value) setText(numberText(value));
    }
  }, [value, text]);
  return (
    <input
      type="text"
      inputMode="numeric"
      autoComplete="off"
      spellCheck={false}
      {...rest}
      value={text}
      onChange={(e) => {
        const next = e.target.value;
        setText(next);
        const parsed = parseNumber(next);
        last.current = parsed;
        onChange(parsed);
      }}
    />
  );
}

interface NumberFieldProps {
  label: string;
  testId: string;
  field: string;
  value: unknown;
  onChange(value: number | string | undefined): void;
  placeholder?: string;
  hint?: ReactNode;
}

export function NumberField({ label, testId, field, value, onChange, placeholder, hint }: NumberFieldProps) {
  return (
    <LabelledField
      label={label}
      field={field}
      hint={hint}
      className="field field-number"
      control={({ id, invalid }) => <NumberInput id={id} data-testid={testId} className="mono" value={value} onChange={onChange} placeholder={placeholder} {...invalid} />}
    />
  );
}

interface CheckFieldProps {
  label: ReactNode;
  testId: string;
  field: string;
  checked: boolean;
  onChange(checked: boolean): void;
  hint?: ReactNode;
}

export function CheckField({ label, testId, field, checked, onChange, hint }: CheckFieldProps) {
  const id = useId();
  const problems = useProblems(field);
  return (
    <div className="field field-check">
      <div className="check-line">
        <input
          type="checkbox"
          id={id}
          data-testid={testId}
          checked={checked}
          onChange={(e) => onChange(e.target.checked)}
          {...invalidProps(problems, `${id}-problems`)}
        />
        <label htmlFor={id}>{label}</label>
      </div>
      {hint && <p className="field-hint">{hint}</p>}
      <Problems at={field} id={`${id}-problems`} />
    </div>
  );
}

interface SelectFieldProps<T extends string> {
  label: string;
  testId: string;
  field: string;
  value: T;
  options: readonly { value: T; label: string }[];
  onChange(value: T): void;
  hint?: ReactNode;
}

export function SelectField<T extends string>({ label, testId, field, value, options, onChange, hint }: SelectFieldProps<T>) {
  return (
    <LabelledField
      label={label}
      field={field}
      hint={hint}
      control={({ id, invalid }) => (
        <select id={id} data-testid={testId} value={value} onChange={(e) => onChange(e.target.value as T)} {...invalid}>
          {options.map((o) => (
            <option key={o.value} value={o.value}>
              {o.label}
            </option>
          ))}
        </select>
      )}
    />
  );
}

/** A small square button for row actions, with a label for screen readers and a tooltip. */
export function IconButton({ label, testId, onClick, disabled, children, danger }: { label: string; testId: string; onClick(): void; disabled?: boolean; children: ReactNode; danger?: boolean }) {
  return (
    <button type="button" className={`icon-button${danger ? ' danger' : ''}`} data-testid={testId} aria-label={label} title={label} onClick={onClick} disabled={disabled}>
      <span aria-hidden="true">{children}</span>
    </button>
  );
}
