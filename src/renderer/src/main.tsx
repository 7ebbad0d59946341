import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';

import { App } from './App';
import { getLabApi } from './api';
import { takeCredentialFromAddress } from './api/session';
import { warnBeforeLeaving } from './lib/leave-warning';
import { loadEarlierRuns } from './stores/earlier-runs';
import { startKeepingDrafts } from './stores/kept-drafts';
import { startProfiles } from './stores/profiles';
import { startRuns } from './stores/runs';
import './styles.css';

const container = document.getElementById('root');
if (!container) throw new Error('index.html has no #root element');

void takeCredentialFromAddress().then(() => {
  getLabApi();
  startRuns();
  void loadEarlierRuns();
  startProfiles();
  startKeepingDrafts();
  warnBeforeLeaving();

  createRoot(container).render(
    <StrictMode>
      <App />
    </StrictMode>,
  );
});
