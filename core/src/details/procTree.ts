import { closeSync, existsSync, openSync, readFileSync, readSync } from 'node:fs';

/** One reading of a process tree: CPU of the live processes plus what their reaped children used. */
export interface TreeReading {
  cpuUserMs: number;
  cpuSystemMs: number;
  rssBytes: number;
  readBytes: number;
  writeBytes: number;
  processes: number;
}

let kernelUnits: { page: number; tick: number } | undefined;

/** AT_PAGESZ and AT_CLKTCK in the auxiliary vector the kernel gave this process. */
const AT_PAGESZ = 6n;
const AT_CLKTCK = 17n;

/**
 * The kernel's units for /proc figures (page size, clock ticks per second), read once from
 * /proc/self/auxv: no `getconf` process, which cost more than a whole sweep on a loaded machine.
 */
function units(): { page: number; tick: number } {
  if (kernelUnits === undefined) {
    let page = 4096;
    let hz = 100;
    try {
      const auxv = readFileSync('/proc/self/auxv');
      // (type, value) pairs of native words; this reader assumes 64-bit little-endian (x64, arm64).
      for (let at = 0; at + 16 <= auxv.length; at += 16) {
        const type = auxv.readBigUInt64LE(at);
        const value = Number(auxv.readBigUInt64LE(at + 8));
        if (type === AT_PAGESZ && value > 0) page = value;
        if (type === AT_CLKTCK && value > 0) hz = value;
      }
    } catch {
      // not Linux, or /proc not mounted: the usual values
    }
    kernelUnits = { page, tick: 1000 / hz };
  }
  return kernelUnits;
}

export const PROC_AVAILABLE = process.platform === 'linux';

/**
 * Reads the tree under `root` from Linux /proc: the root, then each process's children (the
 * main thread's `children` file; children started by other threads are not seen). A process's
 * reaped children are in its cutime/cstime and its io counters, so a child that ended between two
 * readings is still counted once its parent has waited for it. Undefined when the root is gone.
 */
export function readTree(root: number): TreeReading | undefined {
  // An ended attempt's tree is usually gone by its last look: say so without a thrown ENOENT.
  if (!existsSync(`/proc/${root}`)) return undefined;
  const { page, tick } = units();
  const reading: TreeReading = { cpuUserMs: 0, cpuSystemMs: 0, rssBytes: 0, readBytes: 0, writeBytes: 0, processes: 0 };
  const pending = [root];
  const seen = new Set<number>();
  for (let pid = pending.pop(); pid !== undefined; pid = pending.pop()) {
    if (seen.has(pid)) continue;
    seen.add(pid);
    const stat = readText(`/proc/${pid}/stat`);
    if (stat === undefined) {
      if (pid === root) return undefined;
      continue;
    }
    // Fields after the command name, which may itself hold spaces and parentheses.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    reading.cpuUserMs += (Number(fields[11]) + Number(fields[13])) * tick;
    reading.cpuSystemMs += (Number(fields[12]) + Number(fields[14])) * tick;
    reading.rssBytes += Number(fields[21]) * page;
    reading.processes++;
    const io = readText(`/proc/${pid}/io`);
    if (io !== undefined) {
      reading.readBytes += ioField(io, 'read_bytes');
      reading.writeBytes += ioField(io, 'write_bytes');
    }
    const children = readText(`/proc/${pid}/task/${pid}/children`);
    if (children !== undefined) for (const child of children.split(' ')) if (child !== '' && child !== '\n') pending.push(Number(child));
  }
  return reading;
}

function ioField(text: string, name: string): number {
  const at = text.indexOf(`${name}: `);
  if (at === -1) return 0;
  return Number.parseInt(text.slice(at + name.length + 2), 10) || 0;
}

/** One buffer for every /proc read: the files read here are a few hundred bytes (a children list a few KiB). */
const procBuffer = Buffer.allocUnsafe(64 * 1024);

/**
 * Reads a small /proc file into the shared buffer: open, one read, close. readFileSync cost a third
 * more per tree (a stat, a second read to find the end of a file whose size says 0, a fresh buffer
 * each time), and a sweep is this times the trees running.
 */
function readText(path: string): string | undefined {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch {
    return undefined;
  }
  try {
    // One read: the kernel fills the buffer from a /proc file as far as it goes (seq_file), and
    // 64 KiB holds any stat or io file and a children list of thousands of processes.
    return procBuffer.toString('latin1', 0, readSync(fd, procBuffer, 0, procBuffer.length, null));
  } catch {
    return undefined;
  } finally {
    closeSync(fd);
  }
}
