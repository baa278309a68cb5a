import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ShellName } from '../../model/pipeline.ts';
import { quotePosix } from '../../runner/quote.ts';
import { scriptFileArgv, SHELL_NAME } from '../scriptFile.ts';

/** The files of one attempt's job, in a folder the compute nodes see (under the pipeline's folder). */
export interface JobFiles {
  dir: string;
  /** `export NAME='value'` lines the job script sources; mode 0600, removed when the attempt ends. */
  envFile: string;
  /** The block's script, as the block's shell reads it. */
  scriptFile: string;
  /** What sbatch runs: sources the env file, then runs the script with the block's shell. */
  jobScript: string;
  stdout: string;
  stderr: string;
  /** The job's `$PIPELINE_OUTPUT`; copied to the engine's file when the attempt ends. */
  outputFile: string;
  /** The job id and what the job is, for reconciling after a killed CLI. */
  recordFile: string;
  /**
   * Written by the job script as its last act, once none of the block's processes runs: `STATUS
   * SIGNALLED`. `0 0` (exit 0, never signalled) is the attempt's success; anything else waits for
   * SLURM's own final state (TIMEOUT, CANCELLED, OUT_OF_MEMORY, the exit code).
   */
  endedFile: string;
}

export function jobFilesIn(dir: string): JobFiles {
  return {
    dir,
    envFile: join(dir, 'env.sh'),
    scriptFile: join(dir, 'script'),
    jobScript: join(dir, 'job.sh'),
    stdout: join(dir, 'stdout.log'),
    stderr: join(dir, 'stderr.log'),
    outputFile: join(dir, 'output'),
    recordFile: join(dir, 'job.json'),
    endedFile: join(dir, 'ended'),
  };
}

/**
 * One line per variable, each value single-quoted (`'` written as `'\''`): a POSIX shell reads the
 * value back exactly and never as code, whatever it holds (`$(…)`, backquotes, newlines, quotes).
 * Names a shell cannot assign are left out.
 */
export function envFileText(env: Record<string, string>): string {
  return Object.entries(env)
    .filter(([name]) => SHELL_NAME.test(name))
    .map(([name, value]) => `export ${name}=${quotePosix(value)}\n`)
    .join('');
}

export function writeJobFiles(dir: string, shell: ShellName, script: string, env: Record<string, string>, graceMs: number): JobFiles {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const files = jobFilesIn(dir);
  writeFileSync(files.envFile, envFileText({ ...env, PIPELINE_OUTPUT: files.outputFile }), { mode: 0o600 });
  writeFileSync(files.scriptFile, script, { mode: 0o600 });
  writeFileSync(files.outputFile, '', { mode: 0o600 });
  const run = scriptFileArgv(shell, files.scriptFile).map(quotePosix).join(' ');
  const graceTenths = Math.max(1, Math.ceil(graceMs / 100));
  writeFileSync(files.jobScript, [
    '#!/bin/sh',
    '# Pipeline Studio: one attempt of one block. The values are in the env file, as data.',
    `. ${quotePosix(files.envFile)} || exit 121`,
    // The block runs in a process group of its own, so that everything it starts can be signalled
    // and waited for: the job (and so the attempt) ends only once none of it runs, as locally.
    'if command -v setsid >/dev/null 2>&1; then',
    `  setsid ${run} &`,
    'else',
    `  ${run} &`,
    'fi',
    'child=$!',
    'signalled=0',
    'trap \'signalled=1; kill -TERM -"$child" 2>/dev/null\' TERM INT',
    'while :; do',
    '  wait "$child"; status=$?',
    '  kill -0 "$child" 2>/dev/null || break',
    'done',
    'kill -TERM -"$child" 2>/dev/null',
    'n=0',
    'while kill -0 -"$child" 2>/dev/null; do',
    `  n=$((n + 1)); [ "$n" -gt ${graceTenths} ] && kill -KILL -"$child" 2>/dev/null`,
    '  sleep 0.1',
    'done',
    // A hint for the follower, not the record: the exit code still comes from SLURM.
    `echo "$status $signalled" > ${quotePosix(files.endedFile)} 2>/dev/null`,
    'exit "$status"',
    '',
  ].join('\n'), { mode: 0o700 });
  return files;
}
