// Secret variables: environment values the profile names but does not hold (profile.ts,
// SecretSchema), so that a profile can be committed, exported and shown. A value typed
// here goes to the lab's secret store at once and is never shown again; the profile keeps
// the key. Or the value comes from the lab's own environment at launch.
import { memo, useEffect, useId, useState } from 'react';

import type { Profile } from '@shared/profile';
import type { Draft } from '../../lib/draft';
import { updateDraft } from '../../stores/editor';
import { keepSecret, loadSecretKeys, useSecretKeys } from '../../stores/secret-keys';
import { IconButton, Problems, Section, useProblems } from './ui';

type SecretEntry = NonNullable<Profile['secrets']>[number];
type Source = 'store' | 'env';

const sourceOf = (secret: SecretEntry): Source => (secret.fromLabEnv !== undefined ? 'env' : 'store');

function setSecret(index: number, secret: SecretEntry): void {
  updateDraft((d) => {
    const next = [...(Array.isArray(d.secrets) ? d.secrets : [])];
    next[index] = secret;
    return { ...d, secrets: next };
  });
}

export const SecretsSection = memo(function SecretsSection({ secrets: given }: Pick<Draft, 'secrets'>) {
  const secrets = Array.isArray(given) ? (given as SecretEntry[]) : [];
  const loaded = useSecretKeys((s) => s.loaded);
  useEffect(() => {
    if (!loaded) void loadSecretKeys();
  }, [loaded]);
  const add = () => updateDraft((d) => ({ ...d, secrets: [...(Array.isArray(d.secrets) ? d.secrets : []), { name: '', fromStore: '' }] }));
  const remove = (i: number) => updateDraft((d) => ({ ...d, secrets: (Array.isArray(d.secrets) ? d.secrets : []).filter((_, j) => j !== i) }));
  return (
    <Section
      title="Secret variables"
      hint="Variables whose value stays out of the profile (which you may commit or share): kept in the lab's secret store (a private file beside the profiles), or taken from the lab's own environment at launch. The child gets the value; reports show it masked."
    >
      <Problems at="secrets" />
      {secrets.map((secret, i) => (
        <SecretRow key={i} index={i} secret={secret} onRemove={() => remove(i)} />
      ))}
      <button type="button" className="add-button" data-testid="secret-add" onClick={add}>
        + Add secret variable
      </button>
    </Section>
  );
});

function SecretRow({ index, secret, onRemove }: { index: number; secret: SecretEntry; onRemove(): void }) {
  const id = useId();
  const keys = useSecretKeys((s) => s.keys);
  const [value, setValue] = useState('');
  const source = sourceOf(secret);
  const key = secret.fromStore ?? '';
  const problems = useProblems(`secrets[${index}]`);
  const setSource = (next: Source) =>
    setSecret(index, next === 'env' ? { name: secret.name, fromLabEnv: secret.name } : { name: secret.name, fromStore: secret.name });
  const keep = async () => {
    if (await keepSecret(key, value)) setValue('');
  };
  return (
    <div className={`secret-row${problems.length ? ' has-problem' : ''}`} data-testid={`secret-${index}`}>
      <div className="secret-fields">
        <label htmlFor={`${id}-name`}>Name</label>
        <input
          id={`${id}-name`}
          type="text"
          className="mono"
          data-testid={`secret-name-${index}`}
          value={secret.name}
          spellCheck={false}
          onChange={(e) => setSecret(index, { ...secret, name: e.target.value })}
        />
        <label htmlFor={`${id}-source`}>from</label>
        <select id={`${id}-source`} data-testid={`secret-source-${index}`} value={source} onChange={(e) => setSource(e.target.value as Source)}>
          <option value="store">the lab's secret store, key</option>
          <option value="env">the lab's environment, variable</option>
        </select>
        <input
          type="text"
          className="mono"
          aria-label={source === 'store' ? `Secret store key of secret variable ${index}` : `Lab environment variable of secret variable ${index}`}
          data-testid={`secret-ref-${index}`}
          value={source === 'store' ? key : (secret.fromLabEnv ?? '')}
          spellCheck={false}
          onChange={(e) => setSecret(index, source === 'store' ? { name: secret.name, fromStore: e.target.value } : { name: secret.name, fromLabEnv: e.target.value })}
        />
        <IconButton label={`Remove secret variable ${index}`} testId={`secret-remove-${index}`} onClick={onRemove} danger>
          ×
        </IconButton>
      </div>
      {source === 'store' && (
        <div className="secret-value">
          <label htmlFor={`${id}-value`}>{keys.includes(key) ? 'Replace the value kept under this key' : 'Value (no value kept under this key yet)'}</label>
          <input
            id={`${id}-value`}
            type="password"
            autoComplete="off"
            data-testid={`secret-value-${index}`}
            value={value}
            onChange={(e) => setValue(e.target.value)}
          />
          <button type="button" className="small" data-testid={`secret-keep-${index}`} disabled={key === '' || value === ''} onClick={() => void keep()}>
            Keep in the secret store
          </button>
        </div>
      )}
      <Problems at={`secrets[${index}]`} />
    </div>
  );
}
