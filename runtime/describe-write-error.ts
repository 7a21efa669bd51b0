const REASONS: Readonly<Record<string, string>> = {
  ENOTDIR: 'a part of that path is a file, not a directory',
  EISDIR: 'that path is a directory',
  EEXIST: 'a file of that name is in the way',
  EACCES: 'permission denied',
  EPERM: 'the operation is not permitted there',
  EROFS: 'the file system is read-only',
  ENOENT: 'a part of that path does not exist and cannot be created',
  ENOSPC: 'the disk is full',
};

/** Why a file or folder could not be written, in words rather than an errno and a system call. */
export function describeWriteError(error: unknown): string {
  const { code, message } = error as NodeJS.ErrnoException;
  return (code && REASONS[code]) ?? message ?? String(error);
}
