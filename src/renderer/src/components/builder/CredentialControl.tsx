// sys.credential: whether to change the IDs at all, then uid, gid, the supplementary groups
// and noSetGroups. A custom control (src/shared/fields.ts): the rest of its section is drawn
// from the field descriptions.
import { useEffect, useId, useRef, useState } from 'react';

import { listText, parseList, sysOf, type DraftSys } from '../../lib/draft';
import { updateDraft } from '../../stores/editor';
import { CheckField, NumberField, Problems } from './ui';

type Credential = NonNullable<DraftSys['credential']>;

const DEFAULT_CREDENTIAL: Credential = { uid: 65534, gid: 65534, groups: [], noSetGroups: false };

function setCredential(credential: Credential | undefined): void {
  updateDraft((d) => ({ ...d, sys: { ...sysOf(d.sys), credential } }));
}

// A cleared number stays absent, so that the lab says it is required.
function setPart<K extends keyof Credential>(key: K, value: Credential[K] | undefined): void {
  updateDraft((d) => {
    const sys = sysOf(d.sys);
    return { ...d, sys: { ...sys, credential: { ...(sys.credential ?? DEFAULT_CREDENTIAL), [key]: value } } };
  });
}

export function CredentialControl({ value }: { value: unknown }) {
  const credential = value && typeof value === 'object' ? (value as Credential) : undefined;
  // Turned off and on again, it comes back as it was.
  const remembered = useRef<Credential>(credential ?? DEFAULT_CREDENTIAL);
  useEffect(() => {
    if (credential) remembered.current = credential;
  }, [credential]);
  const [groupsText, setGroupsText] = useState(listText(credential?.groups));
  const lastGroups = useRef(credential?.groups);
  useEffect(() => {
    if (credential?.groups !== lastGroups.current) {
      lastGroups.current = credential?.groups;
      if (listText(parseList(groupsText)) !== listText(credential?.groups)) setGroupsText(listText(credential?.groups));
    }
  }, [credential?.groups, groupsText]);
  const groupsId = useId();
  return (
    <>
      <CheckField
        label="Change the user and group IDs"
        testId="field-credential"
        field="credential"
        checked={credential !== undefined}
        onChange={(on) => setCredential(on ? remembered.current : undefined)}
        hint="setgroups, setgid then setuid in the child; needs root."
      />
      {credential && (
        <div className="field-grid">
          <NumberField label="uid" testId="field-uid" field="credential.uid" value={credential.uid} onChange={(v) => setPart('uid', v)} />
          <NumberField label="gid" testId="field-gid" field="credential.gid" value={credential.gid} onChange={(v) => setPart('gid', v)} />
          <div className="field span-2">
            <label htmlFor={groupsId}>Supplementary groups</label>
            <input
              id={groupsId}
              type="text"
              className="mono"
              data-testid="field-groups"
              placeholder="comma-separated, e.g. 100, 27"
              value={groupsText}
              spellCheck={false}
              onChange={(e) => {
                setGroupsText(e.target.value);
                const parsed = parseList(e.target.value);
                lastGroups.current = parsed;
                setPart('groups', parsed);
              }}
            />
            <Problems at="credential.groups" />
          </div>
          <div className="span-2">
            <CheckField
              label="noSetGroups — keep the supplementary groups (skip setgroups)"
              testId="field-noSetGroups"
              field="credential.noSetGroups"
              checked={credential.noSetGroups === true}
              onChange={(v) => setPart('noSetGroups', v)}
            />
          </div>
        </div>
      )}
    </>
  );
}
