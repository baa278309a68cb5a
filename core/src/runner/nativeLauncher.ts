import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { constants } from 'node:os';
import { dirname, join } from 'node:path';
import { StringDecoder } from 'node:string_decoder';
import { fileURLToPath } from 'node:url';
import { HelperChannel } from './helperChannel.ts';
import type { LaunchHandlers } from './launcher.ts';
import type { ShellCommand } from './shells.ts';

const BINARY = 'ps-launch';

/**
 * The native launch helper (native/launch.c, compiled by `npm run build` into dist/native/ when a C
 * compiler is there): dist/native/ beside the bundle, else the repository's dist/native/ (tests
 * run the sources). `PIPELINE_STUDIO_LAUNCHER` names another. Undefined when there is none, or
 * off POSIX: the Node helper is used then.
 */
export function nativeLauncherPath(): string | undefined {
  if (process.platform === 'win32') return undefined;
  const named = process.env.PIPELINE_STUDIO_LAUNCHER;
  if (named !== undefined && named !== '') return existsSync(named) ? named : undefined;
  const here = dirname(fileURLToPath(import.meta.url));
  for (const candidate of [join(here, 'native', BINARY), join(here, '..', '..', '..', 'dist', 'native', BINARY)]) {
    if (existsSync(candidate)) return candidate;
  }
  return undefined;
}

const SIGNAL_NAMES = new Map<number, NodeJS.Signals>(Object.entries(constants.signals).map(([name, n]) => [n, name as NodeJS.Signals]));

interface Live {
  handlers: LaunchHandlers;
  decoders: [StringDecoder, StringDecoder];
}

/**
 * One native helper process. It starts blocks with posix_spawn, so no Node process forks per block,
 * and keeps every guarantee of the Node helper (launchHelperScript.ts): a process group per block,
 * output paused rather than buffered when the engine reads slowly, the drain after exit, and the
 * sweep of everything the engine's runs started when the engine dies (its stdin closes).
 * Requests are NUL-separated fields; answers are header lines, output followed by its bytes
 * (decoded here as UTF-8, a character split across reads kept whole).
 */
export class NativeLaunchHelper extends HelperChannel<Live, Buffer> {
  private readonly binary: string;
  private readonly tag: string;
  private pending: Buffer = Buffer.alloc(0);

  constructor(binary: string, tag: string, onLost: () => void, throttle: (stream: NodeJS.ReadableStream) => void) {
    super(onLost, throttle);
    this.binary = binary;
    this.tag = tag;
  }

  protected start(): ChildProcess {
    return spawn(this.binary, [this.tag], { stdio: ['pipe', 'pipe', 'inherit'] });
  }

  protected track(handlers: LaunchHandlers): Live {
    return { handlers, decoders: [new StringDecoder('utf8'), new StringDecoder('utf8')] };
  }

  protected startRequest(id: number, command: ShellCommand, cwd: string, env: Record<string, string>): string {
    const entries = Object.entries(env).map(([k, v]) => `${k}=${v}`);
    // argv[0] is the file, as Node's spawn passes it.
    const fields = ['S', String(id), command.file, String(command.args.length + 1), command.file, ...command.args, cwd, String(entries.length), ...entries];
    return `${fields.map(noNul).join('\0')}\0`;
  }

  protected watchRequest(pid: number, outputFile: string | undefined): string {
    return `W\0${pid}\0${noNul(outputFile ?? '')}\0`;
  }

  protected unwatchRequest(pid: number): string {
    return `U\0${pid}\0`;
  }

  protected receive(bytes: Buffer): void {
    let data = this.pending.length === 0 ? bytes : Buffer.concat([this.pending, bytes]);
    for (;;) {
      const nl = data.indexOf(10);
      if (nl < 0) break;
      const header = data.toString('latin1', 0, nl).split(' ');
      if (header[0] === 'out') {
        const length = Number(header[3]);
        if (data.length < nl + 1 + length) break;
        this.output(Number(header[1]), header[2] === '1' ? 1 : 0, data.subarray(nl + 1, nl + 1 + length));
        data = data.subarray(nl + 1 + length);
        continue;
      }
      this.dispatch(header, data.toString('utf8', 0, nl));
      data = data.subarray(nl + 1);
    }
    // A copy, so that the (large) read buffer is not kept alive by a short remainder.
    this.pending = Buffer.from(data);
  }

  private output(id: number, stream: 0 | 1, bytes: Buffer): void {
    const entry = this.live.get(id);
    if (entry === undefined) return;
    const text = entry.decoders[stream].write(bytes);
    if (text !== '') entry.handlers.onOutput(stream === 0 ? 'stdout' : 'stderr', text);
  }

  private dispatch(header: string[], line: string): void {
    const id = Number(header[1]);
    const entry = this.live.get(id);
    if (entry === undefined) return;
    const { handlers } = entry;
    switch (header[0]) {
      case 'spawn':
        handlers.onSpawn(Number(header[2]));
        return;
      case 'exit': {
        const code = Number(header[2]);
        const signal = Number(header[3]);
        handlers.onExit(code < 0 ? null : code, signal === 0 ? null : (SIGNAL_NAMES.get(signal) ?? 'SIGKILL'));
        return;
      }
      case 'close':
        this.forget(id);
        // What a decoder still holds (a truncated character) ends the output, as Node's does.
        for (const [n, decoder] of entry.decoders.entries()) {
          const rest = decoder.end();
          if (rest !== '') handlers.onOutput(n === 0 ? 'stdout' : 'stderr', rest);
        }
        handlers.onClose(header[2] === undefined ? undefined : header[2] === '1');
        return;
      case 'error': {
        this.forget(id);
        // `error <id> <CODE> <message…>`
        const message = line.split(' ').slice(3).join(' ');
        handlers.onError(Object.assign(new Error(message), { code: header[2] }));
        return;
      }
    }
  }
}

/** A NUL cannot be in an argument, a path or the environment; one there would split the request, so it ends the value as exec would. */
function noNul(value: string): string {
  const at = value.indexOf('\0');
  return at < 0 ? value : value.slice(0, at);
}
