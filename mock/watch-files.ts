import { type FSWatcher, watch } from 'node:fs';
import { basename, dirname } from 'node:path';

/**
 * Calls `onChange` once after each burst of changes to any of `files`. The folders are watched rather than the
 * files, since editors often save by writing a new file and renaming it over the old one, which ends a watch on
 * the file itself. Changes that come while a reload runs are taken up by one more reload after it.
 */
export function watchFiles(files: readonly string[], onChange: () => Promise<void>): { close(): void } {
  const byFolder = new Map<string, Set<string>>();
  for (const file of files) byFolder.set(dirname(file), (byFolder.get(dirname(file)) ?? new Set()).add(basename(file)));
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> | undefined;
  let again = false;
  const run = (): void => {
    if (running) {
      again = true;
      return;
    }
    running = onChange().finally(() => {
      running = undefined;
      if (again) {
        again = false;
        run();
      }
    });
  };
  const watchers: FSWatcher[] = [...byFolder].map(([folder, names]) =>
    watch(folder, (_event, name) => {
      if (name !== null && !names.has(String(name))) return;
      // One reload per save: an editor's save is several events within a few milliseconds.
      clearTimeout(timer);
      timer = setTimeout(run, 50);
    }),
  );
  return {
    close: () => {
      clearTimeout(timer);
      for (const watcher of watchers) watcher.close();
    },
  };
}
