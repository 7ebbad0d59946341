// The lab's own descriptors a launch may show as panes (lab-stdio.ts in the lab): their
// output keys and their names on screen.
export const LAB_STDIO_FDS = [1, 2] as const;

export const labStdioKey = (fd: number): string => `lab-${fd}`;

/** "lab-2" -> 2; null for any other key. */
export function labStdioFdOf(key: string): number | null {
  const match = /^lab-(\d+)$/.exec(key);
  return match ? Number(match[1]) : null;
}

/** Which of the lab's fd 1 and 2 the files inherit (a profile's, or a draft's as typed). */
export const labStdioFdsInherited = (files: readonly unknown[]): number[] =>
  LAB_STDIO_FDS.filter((fd) =>
    files.some((f) => {
      const file = f as { type?: unknown; fd?: unknown } | null;
      return file?.type === 'inherit' && file.fd === fd;
    }),
  );

/** Whether the files inherit the lab's fd 1 or 2: only then are there panes to show. */
export const inheritsLabStdio = (files: readonly unknown[]): boolean => labStdioFdsInherited(files).length > 0;
