// axe-core (the npm package, pinned in package.json) over what the page shows now: every
// rule axe runs by default (WCAG 2 A and AA, and its best practices).
import { readFileSync } from 'node:fs';

import type { Page } from '@playwright/test';
import type { AxeResults, ImpactValue } from 'axe-core';

const AXE_SOURCE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

export interface Violation {
  rule: string;
  impact: ImpactValue | undefined;
  help: string;
  /** A selector for each element that breaks the rule. */
  targets: string[];
}

/** What a student on a keyboard or a screen reader could not get past: axe's serious and critical impacts. */
export const isBlocking = (v: Violation): boolean => v.impact === 'serious' || v.impact === 'critical';

/** "color-contrast (serious): Elements must meet ... — .step-index, ..." */
export const describeViolation = (v: Violation): string => `${v.rule} (${v.impact}): ${v.help} — ${v.targets.join(', ')}`;

/** Runs axe over the whole page as it is now. */
export async function auditAccessibility(page: Page): Promise<Violation[]> {
  // Evaluated, not added as a <script>: the app's Content-Security-Policy refuses inline scripts.
  await page.evaluate(AXE_SOURCE);
  const results = await page.evaluate(() => (globalThis as unknown as { axe: { run(): Promise<AxeResults> } }).axe.run());
  return results.violations.map((v) => ({
    rule: v.id,
    impact: v.impact,
    help: v.help,
    targets: v.nodes.map((node) => node.target.join(' ')),
  }));
}
