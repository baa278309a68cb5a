import { createHash } from 'node:crypto';
import { closeSync, openSync, readSync } from 'node:fs';
import { open, stat } from 'node:fs/promises';
import type { FileStat } from './declaredFiles.ts';
import type { KnownFile } from './detailsStore.ts';

import { DEFAULT_HASH_LIMIT_BYTES } from '../runner/fingerprint.ts';

export { DEFAULT_HASH_LIMIT_BYTES };

/** Files up to this size are read in one synchronous read: cheaper than four trips through the thread pool, and shorter than a tick. */
const SMALL_FILE_BYTES = 64 * 1024;
const CHUNK_BYTES = 1 << 20;

export interface FileFacts {
  path: string;
  size: number | undefined;
  mtimeMs: number | undefined;
  sha256: string | undefined;
  /** Why there is no hash. */
  hashNote: string | undefined;
}

/**
 * Describes files for the artifact records. Large files are read through the thread pool in 1 MiB
 * chunks, so hashing never holds the event loop (and with it the scheduler) for more than one
 * chunk; small ones in one read. One buffer serves every read (a fresh 1 MiB buffer per file was
 * most of the recorder's cost, in garbage collection). A file whose size and mtime match its last
 * record keeps that record's hash unread.
 */
export class FileHasher {
  /** How many files were read to hash them (tests count these). */
  hashCalls = 0;
  private readonly limitBytes: number;
  private readonly known: (path: string, stat: FileStat) => KnownFile | undefined;
  private readonly buffer = Buffer.allocUnsafe(CHUNK_BYTES);
  private bufferBusy = false;

  constructor(known: (path: string, stat: FileStat) => KnownFile | undefined, limitBytes = DEFAULT_HASH_LIMIT_BYTES) {
    this.known = known;
    this.limitBytes = limitBytes;
  }

  /** `seen`: the file's stat when the caller already took it (undefined: stat it here; null: it is missing). */
  async describe(path: string, seen?: FileStat | null): Promise<FileFacts> {
    const info = seen === undefined ? await statOrUndefined(path) : (seen ?? undefined);
    if (info === undefined) return { path, size: undefined, mtimeMs: undefined, sha256: undefined, hashNote: 'missing' };
    const facts: FileFacts = { path, size: info.size, mtimeMs: info.mtimeMs, sha256: undefined, hashNote: undefined };
    if (info.size > this.limitBytes) return { ...facts, hashNote: `over size limit (${this.limitBytes} bytes); not hashed` };
    const known = this.known(path, info);
    if (known?.sha256 !== undefined && known.size === info.size && known.mtimeMs === info.mtimeMs) return { ...facts, sha256: known.sha256 };
    try {
      this.hashCalls++;
      return { ...facts, sha256: info.size <= SMALL_FILE_BYTES ? this.sha256OfSmall(path) : await this.sha256Of(path) };
    } catch (error) {
      return { ...facts, hashNote: `unreadable: ${error instanceof Error ? error.message : String(error)}` };
    }
  }

  private sha256OfSmall(path: string): string {
    // The thread pool may be filling the shared buffer for a large file at this moment.
    const buffer = this.bufferBusy ? Buffer.allocUnsafe(SMALL_FILE_BYTES) : this.buffer;
    const hash = createHash('sha256');
    const fd = openSync(path, 'r');
    try {
      // The file may have grown since its stat: read to its end all the same.
      for (let n = readSync(fd, buffer, 0, buffer.length, null); n > 0; n = readSync(fd, buffer, 0, buffer.length, null)) hash.update(buffer.subarray(0, n));
    } finally {
      closeSync(fd);
    }
    return hash.digest('hex');
  }

  private async sha256Of(path: string): Promise<string> {
    // Two describes at once (not how the recorder calls it) must not share the buffer.
    const own = !this.bufferBusy;
    const buffer = own ? this.buffer : Buffer.allocUnsafe(CHUNK_BYTES);
    if (own) this.bufferBusy = true;
    const hash = createHash('sha256');
    const handle = await open(path, 'r');
    try {
      for (;;) {
        const { bytesRead } = await handle.read(buffer, 0, CHUNK_BYTES, null);
        if (bytesRead <= 0) break;
        hash.update(buffer.subarray(0, bytesRead));
      }
    } finally {
      if (own) this.bufferBusy = false;
      await handle.close();
    }
    return hash.digest('hex');
  }
}

async function statOrUndefined(path: string): Promise<FileStat | undefined> {
  try {
    const info = await stat(path);
    return info.isFile() ? { size: info.size, mtimeMs: info.mtimeMs } : undefined;
  } catch {
    return undefined;
  }
}
