// Disk errors reach the user (notification, log line), so they say what failed, where, and what to do.

const HINTS: Record<string, string> = {
  ENOSPC: 'the disk is full; free some space (traces stay in memory meanwhile)',
  EDQUOT: 'the disk quota is exceeded; free some space (traces stay in memory meanwhile)',
  EACCES: 'permission denied; check that the trace store folder is writable',
  EPERM: 'the operation was not permitted; check the folder permissions or whether another program locks the file',
  EROFS: 'the file system is read-only; choose another trace store folder',
  EMFILE: 'too many open files in this process',
  EBUSY: 'the file is locked by another program',
};

export function errorCode(err: unknown): string | undefined {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
}

/** `Spanlight store: could not <action> <path>: <reason> — <hint>. <consequence>` with the cause kept. */
export function storeError(action: string, path: string, err: unknown, consequence?: string): Error {
  const code = errorCode(err);
  const reason = err instanceof Error ? err.message : String(err);
  const hint = code ? HINTS[code] : undefined;
  const message =
    `Spanlight store: could not ${action} ${path}: ${reason}` +
    (hint ? ` — ${hint}` : '') +
    (consequence ? `. ${consequence}` : '');
  const error = new Error(message, { cause: err });
  if (code) (error as NodeJS.ErrnoException).code = code;
  return error;
}
