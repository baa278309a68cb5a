import { after } from 'node:test';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { SocketRunnerClient } from '../../core/src/runner/client.ts';
import { controlSocketPaths } from '../../core/src/runner/controlSocket.ts';
import { serviceSocketPath } from '../../core/src/runner/serviceSocket.ts';
import { openStore, StoreError } from '../../core/src/store/index.ts';
import type { BlockRunRecord, RunRecord, RunStore } from '../../core/src/store/types.ts';
import { CLI, HANG_MS, sleep, waitFor } from './support.ts';

// The CLI as users run it, a process of its own from source, for the tests that control a run from
// a second process: one that runs (`startCli`) or the store's runner service the editor starts
// (`withService`), the other that pauses, cancels, approves (`cli`).

export function cli(args: string[], cwd: string): { code: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [CLI, ...args], { cwd, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

const started: ChildProcess[] = [];
// A failed assertion leaves no run waiting at its gate behind the test.
after(() => {
  for (const child of started) if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
});

export function startCli(dir: string, args: string[]): { child: ChildProcess; out: () => string; closed: Promise<number | null> } {
  const child = spawn(process.execPath, [CLI, ...args], { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, NO_COLOR: '1' } });
  started.push(child);
  let out = '';
  child.stdout?.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (out += d.toString()));
  const closed = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
  return { child, out: () => out, closed };
}

const storeOf = (dir: string): string => join(dir, '.pipelines', 'runs.sqlite');

/** Reads the folder's default store, opened read-only for just this look. */
export function readStore<T>(dir: string, fn: (store: RunStore) => T): T | undefined {
  let store: RunStore;
  try {
    store = openStore(storeOf(dir), { readonly: true });
  } catch (error) {
    // Not created yet, or created a moment ago by a run still writing its schema.
    if (error instanceof StoreError) return undefined;
    throw error;
  }
  try {
    return fn(store);
  } finally {
    store.close();
  }
}

export const storedRun = (dir: string, id: number): RunRecord | undefined => readStore(dir, (s) => s.getRun(id));
export const storedBlock = (dir: string, id: number, name: string): BlockRunRecord | undefined => readStore(dir, (s) => s.blockRuns(id).filter((b) => b.block === name).at(-1));

/** The run's control socket listens (it opens a moment after the run is recorded). */
export async function controlReady(dir: string, id: number, ownerPid: number): Promise<void> {
  await waitFor(() => {
    const path = controlSocketPaths(storeOf(dir), id, ownerPid)[0] ?? '';
    return path.endsWith('control.sock') && existsSync(path);
  }, undefined, `run #${id}'s control socket`);
}

/**
 * Starts the store's runner service (`serve`, as the editor starts it), connects a client and gives
 * it to `body`; the service is stopped and awaited however `body` ends.
 */
export async function withService(store: string, body: (client: SocketRunnerClient) => Promise<void>): Promise<void> {
  const socket = serviceSocketPath(store);
  const service = spawn(process.execPath, [CLI, 'serve', '--socket', socket, '--idle-ms', '300'], { stdio: ['ignore', 'ignore', 'inherit'] });
  const exited = new Promise((resolve) => service.once('exit', resolve));
  try {
    await waitFor(() => existsSync(socket), undefined, 'the service socket');
    // The socket file appears a moment before the service accepts on it.
    const end = Date.now() + HANG_MS;
    let client: SocketRunnerClient | undefined;
    while (client === undefined) {
      try {
        client = await SocketRunnerClient.connect(socket);
      } catch (error) {
        if (Date.now() > end || service.exitCode !== null) throw error;
        await sleep(25);
      }
    }
    try {
      await body(client);
    } finally {
      await client.close();
    }
  } finally {
    service.kill('SIGTERM');
    await exited;
  }
}
