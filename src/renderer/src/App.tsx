import { useLabStore } from './store';

function appVersion(): string | undefined {
  // window.lab is absent only when the page is opened outside the app (e.g. served as
  // plain files); the preload or the browser-mode shim always provides it.
  return typeof window.lab?.version === 'function' ? window.lab.version() : undefined;
}

export function App() {
  const title = useLabStore((s) => s.title);
  const version = appVersion();

  return (
    <div className="app">
      <header className="app-header">
        <h1>{title}</h1>
        {version && <span className="app-version">v{version}</span>}
      </header>
      <main className="app-main">
        <p>Compose a launch, see what the child will do, run it and inspect what happened.</p>
        <p className="app-note">The launch builder arrives with the next issue.</p>
      </main>
    </div>
  );
}
