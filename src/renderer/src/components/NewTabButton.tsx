// Browser mode: this lab in another tab, by a one-time link the lab makes for it (good
// once, for a minute). The page's token stays out of the address bar, so there is no URL
// with it to copy (issue 11).
import { getBrowserSession } from '../api';
import { showToast } from '../stores/toasts';

export function NewTabButton() {
  const session = getBrowserSession();
  if (!session) return null;
  const open = () => {
    void session.newTabLink().then(
      (link) => window.open(link, '_blank', 'noopener'),
      (err: unknown) => showToast(`No new tab: ${err instanceof Error ? err.message : String(err)}`, { kind: 'error' }),
    );
  };
  return (
    <button type="button" className="link-button new-tab" data-testid="new-tab" title="Opens this lab in another tab, by a link good once" onClick={open}>
      Open in a new tab
    </button>
  );
}
