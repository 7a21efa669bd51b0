import { type FSWatcher, lstatSync, readlinkSync, watch } from 'node:fs';
import { basename, dirname, join, parse, resolve, sep } from 'node:path';

/** Past this many symbolic links on the way to a file, the rest of the way is not watched (Linux's ELOOP bound). */
const MAX_LINKS = 40;

/**
 * Where a change to `file` can show, as (folder, name) pairs: the path itself, every symbolic link on the way to
 * what it resolves to, and that file. A Kubernetes ConfigMap mounts `doc.yaml -> ..data/doc.yaml` and updates by
 * re-pointing `..data` with a rename, which only an event for `..data` shows; a link to a file in another folder
 * changes only there.
 */
function watchPoints(file: string): Array<readonly [folder: string, name: string]> {
  const absolute = resolve(file);
  const points: Array<readonly [string, string]> = [[dirname(absolute), basename(absolute)]];
  const { root } = parse(absolute);
  let rest = absolute.slice(root.length).split(sep).filter(Boolean);
  let current = root;
  for (let links = 0; rest.length > 0; ) {
    const [name = '', ...after] = rest;
    const candidate = join(current, name);
    let isLink: boolean;
    try {
      isLink = lstatSync(candidate).isSymbolicLink();
    } catch {
      // Not there (yet): the folder that would hold it is watched for its coming.
      points.push([current, name]);
      break;
    }
    if (!isLink) {
      current = candidate;
      rest = after;
      if (rest.length === 0) points.push([dirname(current), basename(current)]);
      continue;
    }
    points.push([current, name]);
    links += 1;
    if (links > MAX_LINKS) break;
    const target = resolve(current, readlinkSync(candidate));
    const targetRoot = parse(target).root;
    current = targetRoot;
    rest = [...target.slice(targetRoot.length).split(sep).filter(Boolean), ...after];
  }
  return points;
}

/**
 * Calls `onChange` once after each burst of changes to any of `files`. The folders are watched rather than the
 * files, since editors often save by writing a new file and renaming it over the old one, which ends a watch on
 * the file itself; and for a path that is a symbolic link, the folders of each link on the way and of the file
 * it resolves to, found again after each change, since a change may re-point a link. Changes that come while a
 * reload runs are taken up by one more reload after it.
 */
export function watchFiles(files: readonly string[], onChange: () => Promise<void>): { close(): void } {
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> | undefined;
  let again = false;
  let closed = false;
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
  const watchers = new Map<string, { readonly watcher: FSWatcher; names: Set<string> }>();
  const changed = (): void => {
    // One reload per save: an editor's save (or a ConfigMap swap) is several events within a few milliseconds.
    clearTimeout(timer);
    timer = setTimeout(() => {
      if (closed) return;
      rewatch();
      run();
    }, 50);
  };
  /** Watches the folders where a change can show now, and stops watching those where none can any more. */
  const rewatch = (): void => {
    const byFolder = new Map<string, Set<string>>();
    for (const [folder, name] of files.flatMap(watchPoints)) byFolder.set(folder, (byFolder.get(folder) ?? new Set()).add(name));
    for (const [folder, entry] of watchers) {
      if (byFolder.has(folder)) continue;
      entry.watcher.close();
      watchers.delete(folder);
    }
    for (const [folder, names] of byFolder) {
      const known = watchers.get(folder);
      if (known) {
        known.names = names;
        continue;
      }
      let watcher: FSWatcher;
      try {
        watcher = watch(folder);
      } catch {
        // A folder that is gone (a ConfigMap's old version, deleted after the swap) has nothing left to change.
        continue;
      }
      const entry = { watcher, names };
      watcher.on('change', (_event, name) => {
        if (name === null || entry.names.has(String(name))) changed();
      });
      // A watched folder that is deleted ends its watch with an error on some systems; the next change re-watches.
      watcher.on('error', () => {
        watcher.close();
        if (watchers.get(folder) === entry) watchers.delete(folder);
      });
      watchers.set(folder, entry);
    }
  };
  rewatch();
  return {
    close: () => {
      closed = true;
      clearTimeout(timer);
      for (const { watcher } of watchers.values()) watcher.close();
      watchers.clear();
    },
  };
}
