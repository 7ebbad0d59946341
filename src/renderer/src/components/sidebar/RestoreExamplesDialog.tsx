// The question before "Restore examples" writes anything: which example files are missing,
// which are as shipped, which the user changed (kept unless ticked).
import { useId } from 'react';

import type { ExampleStatus } from '@shared/api';
import { closeRestoreDialog, confirmRestore, setOverwrite, toWrite, useExampleRestore } from '../../stores/example-restore';
import { useModal } from '../../lib/use-modal';

export function RestoreExamplesDialog() {
  const examples = useExampleRestore((s) => s.examples);
  return examples ? <RestoreDialog examples={examples} /> : null;
}

function RestoreDialog({ examples }: { examples: ExampleStatus[] }) {
  const overwrite = useExampleRestore((s) => s.overwrite);
  const busy = useExampleRestore((s) => s.busy);
  const dialog = useModal();
  const titleId = useId();
  const writes = toWrite(examples, overwrite).length;
  const asShipped = examples.every((e) => e.state === 'same');
  return (
    <dialog ref={dialog} className="restore-dialog" aria-labelledby={titleId} data-testid="restore-examples-dialog" onClose={closeRestoreDialog}>
      <h2 id={titleId}>Restore the example profiles</h2>
      <p className="restore-dialog-intro">
        {asShipped
          ? 'Every example is in the profiles folder as shipped: there is nothing to restore.'
          : 'Missing examples are written again. An example you changed keeps your changes unless you tick it; a restore can be undone.'}
      </p>
      <ul className="example-list">
        {examples.map((example) => (
          <ExampleRow key={example.file} example={example} ticked={overwrite.includes(example.file)} />
        ))}
      </ul>
      <div className="button-row restore-dialog-actions">
        {!asShipped && (
          <button type="button" className="primary" data-testid="restore-examples-confirm" disabled={busy || writes === 0} onClick={() => void confirmRestore()}>
            {writes === 0 ? 'Restore' : `Restore ${writes} example${writes === 1 ? '' : 's'}`}
          </button>
        )}
        <button type="button" data-testid="restore-examples-cancel" onClick={() => dialog.current?.close()}>
          {asShipped ? 'Close' : 'Cancel'}
        </button>
      </div>
    </dialog>
  );
}

const STATE_TEXT: Record<ExampleStatus['state'], string> = {
  missing: 'missing: written again',
  same: 'as shipped: left alone',
  changed: 'changed: your version is kept',
};

function ExampleRow({ example, ticked }: { example: ExampleStatus; ticked: boolean }) {
  const checkId = useId();
  return (
    <li className={`example-row state-${example.state}`} data-testid="example-row" data-file={example.file} data-state={example.state}>
      <span className="example-row-name">{example.name}</span>
      <code className="example-row-file">{example.file}</code>
      <span className="example-row-state" data-testid="example-state">
        {ticked ? 'changed: overwritten with the shipped version' : STATE_TEXT[example.state]}
      </span>
      {example.state === 'changed' && (
        <span className="check-inline example-row-overwrite">
          <input
            type="checkbox"
            id={checkId}
            data-testid="example-overwrite"
            checked={ticked}
            onChange={(e) => setOverwrite(example.file, e.target.checked)}
          />
          <label htmlFor={checkId}>
            Overwrite my changes<span className="sr-only"> to {example.file}</span>
          </label>
        </span>
      )}
    </li>
  );
}
