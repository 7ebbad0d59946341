// Browser mode's own API methods (BrowserSessionApi), answered by its server: links that
// carry a one-time ticket where a URL would otherwise need the session token (issue 11).
import { savedOutputDownloadPath, TICKET_PARAM, type BrowserSessionApi } from '../../shared/api';
import type { OneTimeTickets } from './one-time-tickets';
import type { SavedOutputLookup } from './runs-folder';
import { NO_SAVED_OUTPUT } from './saved-output-download';

export function browserSessionApi(tickets: OneTimeTickets, lookup: SavedOutputLookup): BrowserSessionApi {
  return {
    newTabLink: async () => `/?${TICKET_PARAM}=${tickets.issue({ kind: 'new-tab' })}`,
    savedOutputDownloadLink: async (runId, key) => {
      // A ticket only for output the lab has: the download then names a file it knows.
      if (!lookup.savedOutput(runId, key)) {
        throw new Error(NO_SAVED_OUTPUT);
      }
      return `${savedOutputDownloadPath(runId, key)}?${TICKET_PARAM}=${tickets.issue({ kind: 'saved-output', runId, key })}`;
    },
  };
}
