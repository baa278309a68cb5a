import type { ShellName } from '../model/pipeline.ts';

/**
 * The argv that runs a block's script saved in `file`, as the local runner runs it with `-c`
 * (bash and zsh with -eo pipefail). Cluster and container executors hand the script over as a
 * file, since their command lines pass through other programs (sbatch, docker) first.
 */
export function scriptFileArgv(shell: ShellName, file: string): string[] {
  switch (shell) {
    case 'bash':
      return ['bash', '-eo', 'pipefail', file];
    case 'zsh':
      return ['zsh', '-eo', 'pipefail', file];
    case 'sh':
      return ['sh', file];
    case 'pwsh':
      return ['pwsh', '-NoLogo', '-NoProfile', '-NonInteractive', '-File', file];
    case 'python':
      return ['python3', file];
    case 'node':
      return ['node', file];
  }
}

/** Environment variable names a POSIX shell can assign; others (`BASH_FUNC_x%%`) cannot be passed through a file. */
export const SHELL_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
