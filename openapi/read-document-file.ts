import { closeSync, constants, fstatSync, openSync, readSync, type Stats, statSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';

/**
 * The largest document or policy file the kit reads. The kit's own document is about 0.1 MiB; an OpenAPI
 * document of a large API a few MiB. Past this the file is refused before it is read, so that a wrong path
 * (a log, a dump, /dev/zero) cannot fill the memory.
 */
export const MAX_DOCUMENT_BYTES = 10 * 1024 * 1024;

/**
 * How many times the `yaml` package lets one anchor be expanded (its own default, written out so that it is a
 * decision): a "billion laughs" file of a few KB nests aliases of aliases into 10^9 nodes, which froze the
 * mock's reload and `check --contract` for minutes while they walked the tree.
 */
const MAX_YAML_ALIASES = 100;

/** Thrown when a document file is refused before or while it is parsed; `reason` reads after the file's name. */
export class DocumentFileRefused extends Error {
  override readonly name = 'DocumentFileRefused';
  constructor(readonly reason: string) {
    super(reason);
  }
}

function kindOf(stats: Stats): string {
  if (stats.isDirectory()) return 'a folder';
  if (stats.isFIFO()) return 'a FIFO (named pipe)';
  if (stats.isCharacterDevice()) return 'a character device';
  if (stats.isBlockDevice()) return 'a block device';
  if (stats.isSocket()) return 'a socket';
  return 'not a regular file';
}

function refuseUnlessRegular(stats: Stats): number {
  if (!stats.isFile()) {
    throw new DocumentFileRefused(`is ${kindOf(stats)}, not a regular file; give the path of a YAML or JSON file`);
  }
  if (stats.size > MAX_DOCUMENT_BYTES) {
    throw new DocumentFileRefused(
      `has ${stats.size} bytes, more than the ${MAX_DOCUMENT_BYTES / 1024 / 1024} MiB the kit reads in a document; check that the path names the document`,
    );
  }
  return stats.size;
}

/**
 * Reads a document or policy file whole, refusing before reading what is not a regular file (a FIFO would block,
 * /dev/zero never ends) and what is larger than MAX_DOCUMENT_BYTES. Throws DocumentFileRefused for those, and
 * the file system's error for a file that cannot be opened.
 */
export function readDocumentFile(path: string): Buffer {
  // stat, unlike open, neither blocks on a FIFO nor touches a device.
  refuseUnlessRegular(statSync(path));
  // O_NONBLOCK: should the path become a FIFO between stat and open, open returns at once, and fstat refuses it.
  const fd = openSync(path, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0));
  try {
    const size = refuseUnlessRegular(fstatSync(fd));
    // One byte more than the file has, to tell a file that grew while it was read, which is never read past that.
    const buffer = Buffer.allocUnsafe(size + 1);
    let length = 0;
    for (let read = -1; read !== 0 && length < buffer.length; length += read) {
      read = readSync(fd, buffer, length, buffer.length - length, null);
    }
    if (length > size) throw new DocumentFileRefused('grew while it was read; save it again once it is written');
    return buffer.subarray(0, length);
  } finally {
    closeSync(fd);
  }
}

/**
 * Parses YAML (or JSON, which is YAML) with the `yaml` package's core schema, bounding alias expansion. Throws
 * DocumentFileRefused for an alias bomb, and the parser's error, first line only, for text that is not YAML.
 */
export function parseDocumentYaml(text: string): unknown {
  try {
    return parseYaml(text, { maxAliasCount: MAX_YAML_ALIASES });
  } catch (error) {
    if (error instanceof ReferenceError && /alias count/i.test(error.message)) {
      throw new DocumentFileRefused(
        `expands a YAML alias more than ${MAX_YAML_ALIASES} times, which the kit refuses as a resource-exhaustion ` +
          '("billion laughs") attack; write the shared part once under components and $ref it',
      );
    }
    // The parser's message ends with the offending lines; the first line names the problem and where.
    const message = (error as Error).message.split('\n')[0]?.replace(/:$/, '') ?? 'it is not YAML';
    throw new Error(message);
  }
}
