// A section of the builder drawn from the field descriptions (src/shared/fields.ts): a
// checkbox, number, text or choice per simple field, in the order described. A field with
// a control of its own (input 'custom') names it in CUSTOM_CONTROLS. A new simple field
// needs nothing here.
import { memo, useEffect, useId, useState, type ComponentType, type ReactNode } from 'react';

import { fieldsOfSection, FIELD_SECTIONS, type CustomSectionFieldPath, type PlacedField, type SectionId } from '@shared/fields';
import { SIGNALS } from '@shared/signals';
import type { Draft } from '../../lib/draft';
import { updateDraft } from '../../stores/editor';
import { CredentialControl } from './CredentialControl';
import { GidMappingsControl, UidMappingsControl } from './IdMappingsControl';
import { IntegersField, NamesField } from './ListFields';
import { RlimitsControl } from './RlimitsControl';
import { CheckField, NumberField, Section, SelectField, TextField } from './ui';

// Typed by the descriptions: a custom field in a section without a control here does not compile.
const CUSTOM_CONTROLS: Readonly<Record<CustomSectionFieldPath, ComponentType<{ value: unknown }>>> = {
  'sys.credential': CredentialControl,
  'sys.uidMappings': UidMappingsControl,
  'sys.gidMappings': GidMappingsControl,
  'sys.rlimits': RlimitsControl,
};

const SIGNAL_OPTIONS = [{ value: '', label: '(none)' }, ...SIGNALS.map((s) => ({ value: s.name, label: `${s.name} — ${s.description}` }))];

const groupOf = (value: unknown): Record<string, unknown> => (value && typeof value === 'object' ? (value as Record<string, unknown>) : {});

/** The value of a described field in a draft (undefined when absent). */
export function fieldValue(draft: Draft, { group, key }: PlacedField): unknown {
  return group === '' ? groupOf(draft)[key] : groupOf(draft[group])[key];
}

/** Sets one described field; numbers may be raw text, and an empty optional text is absent. */
function setField({ group, key }: PlacedField, value: unknown): void {
  updateDraft((d) => (group === '' ? { ...d, [key]: value } : { ...d, [group]: { ...groupOf(d[group]), [key]: value } }));
}

function FieldControl({ placed, value }: { placed: PlacedField; value: unknown }) {
  const { field, path, key } = placed;
  const common = { testId: `field-${key}`, field: path, hint: field.help };
  switch (field.input) {
    case 'boolean':
      return (
        <CheckField
          {...common}
          label={field.summary ? `${field.label} — ${field.summary}` : field.label}
          checked={value === undefined ? field.default : value === true}
          onChange={(on) => setField(placed, on)}
        />
      );
    case 'integer':
      return <NumberField {...common} label={field.label} value={value} placeholder={field.placeholder} onChange={(v) => setField(placed, v)} />;
    case 'text':
      return (
        <TextField
          {...common}
          label={field.label}
          value={typeof value === 'string' ? value : value === undefined ? '' : String(value)}
          mono={field.mono}
          placeholder={field.placeholder}
          onChange={(v) => setField(placed, v === '' ? undefined : v)}
        />
      );
    case 'choice':
      return (
        <SelectField {...common} label={field.label} value={typeof value === 'string' ? value : field.default} options={field.choices} onChange={(v) => setField(placed, v)} />
      );
    case 'signal':
      return (
        <SelectField {...common} label={field.label} value={typeof value === 'string' ? value : ''} options={SIGNAL_OPTIONS} onChange={(v) => setField(placed, v === '' ? undefined : v)} />
      );
    case 'names':
      return <NamesField {...common} label={field.label} value={value} choices={field.choices} onChange={(v) => setField(placed, v)} />;
    case 'integers':
      return <IntegersField {...common} label={field.label} value={value} placeholder={field.placeholder} onChange={(v) => setField(placed, v)} />;
    case 'custom': {
      const Control = CUSTOM_CONTROLS[path as CustomSectionFieldPath];
      return <Control value={value} />;
    }
  }
}

interface FieldsSectionProps {
  section: SectionId;
  /** The section's field values, in fieldsOfSection order: the section renders again only when one changes. */
  values: readonly unknown[];
}

/** A value the profile leaves at what the kernel or the lab would do anyway. */
function isUnset(value: unknown, { field }: PlacedField): boolean {
  if (value === undefined || value === '' || ('default' in field && value === field.default)) return true;
  if (Array.isArray(value)) return value.length === 0;
  return typeof value === 'object' && value !== null && Object.keys(value).length === 0;
}

/**
 * An advanced section (namespaces, limits): folded, so that a newcomer sees the seed's
 * fields first, and open as soon as one of its fields is set (a loaded profile shows what it
 * sets); the user may fold or unfold it at will.
 */
function FoldedSection({ title, set, children }: { title: string; set: number; children: ReactNode }) {
  const headingId = useId();
  const [open, setOpen] = useState(set > 0);
  useEffect(() => {
    if (set > 0) setOpen(true);
  }, [set]);
  return (
    <details className="builder-section folded-section" open={open} onToggle={(e) => setOpen(e.currentTarget.open)} aria-labelledby={headingId}>
      <summary>
        <h3 id={headingId}>{title}</h3>
        <span className="muted folded-count">{set > 0 ? `${set} set` : 'none set'}</span>
      </summary>
      {children}
    </details>
  );
}

export const FieldsSection = memo(
  function FieldsSection({ section, values }: FieldsSectionProps) {
    const described = FIELD_SECTIONS.find((s) => s.id === section)!;
    const fields = fieldsOfSection(section);
    const controls = fields.map((placed, i) => <FieldControl key={placed.path} placed={placed} value={values[i]} />);
    if (!('advanced' in described)) return <Section title={described.title}>{controls}</Section>;
    const set = fields.filter((placed, i) => !isUnset(values[i], placed)).length;
    return (
      <FoldedSection title={described.title} set={set}>
        {controls}
      </FoldedSection>
    );
  },
  (a, b) => a.section === b.section && a.values.length === b.values.length && a.values.every((v, i) => v === b.values[i]),
);
