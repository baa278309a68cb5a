import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import type { KnownFile } from './detailsStore.ts';

export const DEFAULT_HASH_LIMIT_BYTES = 1024 ** 3;

export interface FileFacts {
  path: string;
  size: number | undefined;
  mtimeMs: number | undefined;
  sha256: string | undefined;
  /** Why there is no hash. */
  hashNote: string | undefined;
}

/**
 * Describes files for the artifact records. Reads go through the thread pool in 1 MiB chunks, so
 * hashing a large file never holds the event loop (and with it the scheduler) for more than one
 * chunk. A file whose size and mtime match its last record keeps that record's hash unread.
 */
export class FileHasher {
  /** How many files were read to hash them (tests count these). */
  hashCalls = 0;
  private readonly limitBytes: number;
  private readonly known: (path: string) => KnownFile | undefined;

  constructor(known: (path: string) => KnownFile | undefined, limitBytes = DEFAULT_HASH_LIMIT_BYTES) {
    this.known = known;
    this.limitBytes = limitBytes;
  }

  async describe(path: string): Promise<FileFacts> {
    let info;
    try {
      info = await stat(path);
    } catch {
      return { path, size: undefined, mtimeMs: undefined, sha256: undefined, hashNote: 'missing' };
    }
    const facts: FileFacts = { path, size: info.size, mtimeMs: info.mtimeMs, sha256: undefined, hashNote: undefined };
    if (info.size > this.limitBytes) return { ...facts, hashNote: `over size limit (${this.limitBytes} bytes); not hashed` };
    const known = this.known(path);
    if (known?.sha256 !== undefined && known.size === info.size && known.mtimeMs === info.mtimeMs) return { ...facts, sha256: known.sha256 };
    try {
      this.hashCalls++;
      return { ...facts, sha256: await sha256Of(path) };
    } catch (error) {
      return { ...facts, hashNote: `unreadable: ${error instanceof Error ? error.message : String(error)}` };
    }
  }
}

function sha256Of(path: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const hash = createHash('sha256');
    const stream = createReadStream(path, { highWaterMark: 1 << 20 });
    stream.on('data', (chunk) => hash.update(chunk));
    stream.on('error', reject);
    stream.on('end', () => resolve(hash.digest('hex')));
  });
}
