import { availableParallelism, arch, hostname, release, type } from 'node:os';
import manifest from '../../../package.json' with { type: 'json' };
import type { HostInfo } from './types.ts';

/** The machine a run ran on; `tool` names who ran it (the CLI or the extension) and its version. */
export function hostInfo(tool = 'pipeline-studio'): HostInfo {
  return {
    name: hostname(),
    os: `${type()} ${release()} ${arch()}`,
    cpus: availableParallelism(),
    runtime: `node ${process.version}`,
    tool: `${tool} ${manifest.version}`,
  };
}
