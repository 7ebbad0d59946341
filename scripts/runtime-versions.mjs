// Versions for scripts/runtimes.mjs, pure: which version of a runtime to use, from what
// `npm view PACKAGE@MAJOR version --json` says or from the folders already installed.

const SEMVER = /^(\d+)\.(\d+)\.(\d+)$/;  // releases only: no prerelease, no build tag

/** The numeric parts of a release version ("24.1.0" → [24, 1, 0]), or null. */
export function parseVersion(text) {
  const m = SEMVER.exec(String(text).trim());
  return m ? m.slice(1).map(Number) : null;
}

/** Negative, zero or positive, as `a` is older than, the same as or newer than `b`. */
export function compareVersions(a, b) {
  const [x, y] = [parseVersion(a), parseVersion(b)];
  for (let i = 0; i < 3; i++) if (x[i] !== y[i]) return x[i] - y[i];
  return 0;
}

/** The newest release of `major` among `versions`, or null. */
export function newestOfMajor(versions, major) {
  const fits = versions.filter((v) => parseVersion(v)?.[0] === Number(major));
  return fits.sort(compareVersions).pop() ?? null;
}

/** `npm view … version --json` prints one version as a string, several as an array. */
export function versionsFromView(jsonText) {
  const parsed = JSON.parse(jsonText);
  return (Array.isArray(parsed) ? parsed : [parsed]).filter((v) => typeof v === 'string');
}

/** The newest `<name>-<version>` folder of `major` among `folderNames`: its version, or null. */
export function installedVersion(folderNames, name, major) {
  const prefix = `${name}-`;
  const versions = folderNames.filter((f) => f.startsWith(prefix)).map((f) => f.slice(prefix.length));
  return newestOfMajor(versions, major);
}
