// Fields whose value is a list: names from a fixed set (cloneflags, ambientCaps) and
// integers (cpuAffinity). A short set is a row of checkboxes; a long one, and integers, are
// typed as text ("CAP_NET_RAW, CAP_SYS_TIME"; "0, 1"), kept as typed while the list it
// makes goes to the draft (what does not parse stays text: the lab's error shows here).
import { useEffect, useId, useRef, useState } from 'react';

import { listText, parseList } from '../../lib/draft';
import { LabelledField, Problems } from './ui';

// Up to this many choices fit as checkboxes; more are typed, with suggestions.
const MAX_CHECKBOXES = 8;

interface ListFieldProps {
  label: string;
  testId: string;
  field: string;
  value: unknown;
  onChange(value: unknown[]): void;
  hint?: string;
}

const namesOf = (text: string): string[] => text.split(/[\s,]+/).filter((name) => name !== '');

/** Text the user types for a list; the list goes to the draft, the text stays as typed. */
function ListText({ value, parse, onChange, ...rest }: { value: unknown; parse(text: string): unknown[]; onChange(list: unknown[]): void } & Omit<React.InputHTMLAttributes<HTMLInputElement>, 'value' | 'onChange'> & { 'data-testid'?: string }) {
  const [text, setText] = useState(() => listText(value));
  const last = useRef<unknown>(value);
  useEffect(() => {
    // Changed from elsewhere (another profile, a reload): show the new value.
    if (value !== last.current) {
      last.current = value;
      if (listText(parse(text)) !== listText(value)) setText(listText(value));
    }
  }, [value, text, parse]);
  return (
    <input
      type="text"
      className="mono"
      spellCheck={false}
      autoComplete="off"
      {...rest}
      value={text}
      onChange={(e) => {
        setText(e.target.value);
        const list = parse(e.target.value);
        last.current = list;
        onChange(list);
      }}
    />
  );
}

export function NamesField({ label, testId, field, value, onChange, hint, choices }: ListFieldProps & { choices: readonly string[] }) {
  const id = useId();
  const chosen = Array.isArray(value) ? value : [];
  if (choices.length <= MAX_CHECKBOXES) {
    const toggle = (name: string, on: boolean) => onChange(on ? [...chosen, name] : chosen.filter((n) => n !== name));
    return (
      <fieldset className="field field-names" data-testid={testId}>
        <legend className="field-label">{label}</legend>
        <div className="names-grid">
          {choices.map((name) => (
            <span className="check-inline" key={name}>
              <input type="checkbox" id={`${id}-${name}`} data-testid={`${testId}-${name}`} checked={chosen.includes(name)} onChange={(e) => toggle(name, e.target.checked)} />
              <label htmlFor={`${id}-${name}`} className="mono">{name}</label>
            </span>
          ))}
        </div>
        {hint && <p className="field-hint">{hint}</p>}
        <Problems at={field} />
      </fieldset>
    );
  }
  return (
    <LabelledField
      label={label}
      field={field}
      hint={hint}
      control={({ id: inputId, invalid }) => (
        <>
          <ListText id={inputId} data-testid={testId} value={value} parse={namesOf} onChange={onChange} list={`${inputId}-choices`} placeholder={`e.g. ${choices[0]}`} {...invalid} />
          <datalist id={`${inputId}-choices`}>
            {choices.map((name) => (
              <option key={name} value={name} />
            ))}
          </datalist>
        </>
      )}
    />
  );
}

export function IntegersField({ label, testId, field, value, onChange, hint, placeholder }: ListFieldProps & { placeholder?: string }) {
  return (
    <LabelledField
      label={label}
      field={field}
      hint={hint}
      control={({ id, invalid }) => <ListText id={id} data-testid={testId} value={value} parse={parseList} onChange={onChange} placeholder={placeholder} inputMode="numeric" {...invalid} />}
    />
  );
}
