// A student's progress through the lessons: which passed (and when), how many hints each
// has shown. Kept by the lab, in a private folder beside the profiles (`lessons-progress`,
// 0700, its file 0600, written atomically), not in the page's storage: that belongs to the
// page's origin, which in browser mode changes with the port (see draft-store.ts). One
// file (private-json-file.ts).
import * as z from 'zod';

import type { LessonProgress } from '../../shared/api';
import { PrivateJsonFile } from './private-json-file';

const WHAT = 'lessons progress folder';
const FILE = 'progress.json';
const MAX_BYTES = 1024 * 1024;

const ProgressFileSchema = z.strictObject({
  version: z.literal(1),
  lessons: z.record(
    z.string().max(64),
    z.strictObject({ passedAtMs: z.number().optional(), checks: z.number().int().min(0), hintsShown: z.number().int().min(0) }),
  ),
});

export class LessonProgressStore {
  private readonly file: PrivateJsonFile<typeof ProgressFileSchema>;

  constructor(readonly dir: string) {
    this.file = new PrivateJsonFile(dir, FILE, ProgressFileSchema, { what: WHAT, kind: 'the lessons progress the lab writes (move it away to start afresh)', maxBytes: MAX_BYTES });
  }

  /** Every lesson's progress; none yet without a folder or file. Throws when the file cannot be trusted or read. */
  async read(): Promise<Record<string, LessonProgress>> {
    return (await this.file.read())?.lessons ?? {};
  }

  /** A check ended: counted, and the first pass kept with its time. */
  recordCheck(id: string, passed: boolean): Promise<LessonProgress> {
    return this.change(id, (p) => ({ ...p, checks: p.checks + 1, ...(passed && p.passedAtMs === undefined && { passedAtMs: Date.now() }) }));
  }

  /** One more hint shown, at most `of`. */
  showHint(id: string, of: number): Promise<LessonProgress> {
    return this.change(id, (p) => ({ ...p, hintsShown: Math.min(of, p.hintsShown + 1) }));
  }

  private async change(id: string, next: (p: LessonProgress) => LessonProgress): Promise<LessonProgress> {
    const written = await this.file.change((current) => {
      const lessons = current?.lessons ?? {};
      return { version: 1 as const, lessons: { ...lessons, [id]: next(lessons[id] ?? { checks: 0, hintsShown: 0 }) } };
    });
    return written.lessons[id]!;
  }
}
