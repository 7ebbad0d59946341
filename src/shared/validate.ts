// Checking a profile: schema errors first; when the shape is right, errors that depend on the
// host (an inherited fd that is not open) and the teaching warnings.
import type { HostFacts } from './host';
import { parseProfile } from './parsed-profiles';
import type { Problem } from './problems';
import type { NormalizedProfile } from './profile';
import { teachingWarnings } from './warnings';

export interface ProfileCheck {
  /** Present exactly when there are no errors. */
  profile?: NormalizedProfile;
  errors: Problem[];
  /** Only computed when the profile has the right shape. */
  warnings: Problem[];
}

// `warnings: false` (a launch, which needs only the errors) skips the teaching warnings.
export function checkProfile(input: unknown, host: HostFacts, options: { warnings?: boolean } = {}): ProfileCheck {
  const parsed = parseProfile(input);
  if (!parsed.ok) return { errors: parsed.problems, warnings: [] };
  const profile = parsed.value;
  const errors = closedHostFdErrors(profile, host);
  const warnings = options.warnings === false ? [] : teachingWarnings(profile, host);
  return errors.length > 0 ? { errors, warnings } : { profile, errors, warnings };
}

function closedHostFdErrors({ files }: NormalizedProfile, host: HostFacts): Problem[] {
  return files.flatMap((file, i) =>
    file.type === 'inherit' && !host.hostFd(file.fd).open
      ? [{ path: `files[${i}].fd`, message: `host fd ${file.fd} is not open` }]
      : [],
  );
}
