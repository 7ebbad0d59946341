// A section of the builder drawn from the field descriptions (src/shared/fields.ts): a
// checkbox, number, text or choice per simple field, in the order described. A field with
// a control of its own (input 'custom') names it in CUSTOM_CONTROLS. A new simple field
// needs nothing here.
import { memo, type ComponentType } from 'react';

import { fieldsOfSection, FIELD_SECTIONS, type CustomSectionFieldPath, type PlacedField, type SectionId } from '@shared/fields';
import type { Draft } from '../../lib/draft';
import { updateDraft } from '../../stores/editor';
import { CredentialControl } from './CredentialControl';
import { CheckField, NumberField, Section, SelectField, TextField } from './ui';

// Typed by the descriptions: a custom field in a section without a control here does not compile.
const CUSTOM_CONTROLS: Readonly<Record<CustomSectionFieldPath, ComponentType<{ value: unknown }>>> = {
  'sys.credential': CredentialControl,
};

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

export const FieldsSection = memo(
  function FieldsSection({ section, values }: FieldsSectionProps) {
    const title = FIELD_SECTIONS.find((s) => s.id === section)?.title ?? section;
    return (
      <Section title={title}>
        {fieldsOfSection(section).map((placed, i) => (
          <FieldControl key={placed.path} placed={placed} value={values[i]} />
        ))}
      </Section>
    );
  },
  (a, b) => a.section === b.section && a.values.length === b.values.length && a.values.every((v, i) => v === b.values[i]),
);
