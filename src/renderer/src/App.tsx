// The window: profiles (or the lessons) on the left, the builder in the middle, plan and
// runs on the right (or, wide, plan and runs in the builder's room too).
import { useEffect, useState } from 'react';

import { Builder, launchActive } from './components/builder/Builder';
import { LessonsPanel } from './components/lessons/LessonsPanel';
import { NewTabButton } from './components/NewTabButton';
import { PlanView } from './components/plan/PlanView';
import { RunsPanel } from './components/runs/RunsPanel';
import { Sidebar } from './components/sidebar/Sidebar';
import { Toasts } from './components/Toasts';
import { activeSession, recheck, saveActive, useEditor } from './stores/editor';
import { useConnection } from './stores/connection';
import { toggleLessons, useLessons } from './stores/lessons';
import { usePlanUi } from './stores/plan-ui';

export function App() {
  useShortcuts();
  const wide = usePlanUi((s) => s.wide);
  const lessonsOpen = useLessons((s) => s.open);
  return (
    <div className="app">
      <header className="app-header">
        <h1>
          Process Lab <span className="app-tagline">compose a launch, see what the child will do, run it, inspect what happened</span>
        </h1>
        <button type="button" className={`lessons-toggle${lessonsOpen ? ' on' : ''}`} aria-pressed={lessonsOpen} onClick={toggleLessons} data-testid="lessons-toggle">
          Lessons
        </button>
        <NewTabButton />
      </header>
      <ConnectionBanner />
      <div className={`app-main${wide ? ' plan-wide' : ''}${lessonsOpen ? ' lessons-open' : ''}`}>
        {lessonsOpen ? <LessonsPanel /> : <Sidebar />}
        {/* The one main landmark, whether the builder is shown or Wide hides it; the builder and
            the plan and runs stay columns of .app-main's grid (.workspace has no box). */}
        <main className="workspace">
          <section className="center" aria-label="Builder">
            <Builder />
          </section>
          <section className="right" aria-label="Plan and runs">
            <PlanView />
            <RunsPanel />
          </section>
        </main>
      </div>
      <Toasts />
    </div>
  );
}

/** Ctrl/Cmd+S saves the profile in the builder; Ctrl/Cmd+Enter launches it. */
function useShortcuts(): void {
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (!(e.ctrlKey || e.metaKey) || e.altKey) return;
      if (e.key === 's' || e.key === 'S') {
        e.preventDefault();
        if (activeSession()) void saveActive();
      } else if (e.key === 'Enter') {
        const { checks, extraErrors } = useEditor.getState();
        if (!activeSession() || (checks?.errors.length ?? 0) + extraErrors.length > 0) return;
        e.preventDefault();
        void launchActive(false);
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);
}

function ConnectionBanner() {
  const { state, retryAt } = useConnection();
  const [, tick] = useState(0);
  useEffect(() => {
    if (state === 'open') {
      recheck();
      return;
    }
    const t = setInterval(() => tick((n) => n + 1), 500);
    return () => clearInterval(t);
  }, [state]);
  if (state === 'open' || state === 'connecting') return null;
  if (state === 'no-token') {
    return (
      <div className="banner banner-error connection-banner" role="alert" data-testid="disconnected-banner">
        Not connected: this page needs the address that <code>proclab serve</code> printed, including its <code>?token=…</code>, or a
        link from the lab's <em>Open in a new tab</em> (good once, for a minute).
      </div>
    );
  }
  const seconds = retryAt ? Math.max(0, Math.ceil((retryAt - Date.now()) / 1000)) : 0;
  return (
    <div className="banner banner-error connection-banner" role="alert" data-testid="disconnected-banner">
      <strong>Disconnected from the lab.</strong>{' '}
      {state === 'reconnecting' ? 'Reconnecting…' : `Trying again${seconds > 0 ? ` in ${seconds} s` : ' now'}.`} Runs keep going in the lab; output
      sent while disconnected is filled in when each run ends. If <code>proclab serve</code> was restarted, open the address it printed
      this time: its token changes.
    </div>
  );
}
