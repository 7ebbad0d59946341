// Headings that take their level from where they are shown. The descriptor view appears
// under the plan's <h2> and under a run's <h3>: each place says the level its headings
// start at (HeadingLevel), and a heading's own parts nest one deeper, so the outline a
// screen reader lists never skips a level.
import { createContext, useContext, type ReactNode } from 'react';

const Level = createContext(2);

/** Headings inside start at `level`, or one below the headings around them when it is left out. */
export function HeadingLevel({ level, children }: { level?: number; children: ReactNode }) {
  const around = useContext(Level);
  return <Level.Provider value={level ?? around + 1}>{children}</Level.Provider>;
}

export function Heading({ className, children }: { className?: string; children: ReactNode }) {
  const Tag = `h${Math.min(6, useContext(Level))}` as 'h2';
  return <Tag className={className}>{children}</Tag>;
}
