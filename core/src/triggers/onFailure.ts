import { spawn } from 'node:child_process';
import { dirname } from 'node:path';
import type { ScheduledPipeline } from './loadPipelines.ts';

export interface FailureContext {
  file: string;
  pipeline: ScheduledPipeline;
  runId: number;
  /** `failed`, or `sla` for a missed SLA. */
  reason: string;
  status: string;
  label: string;
  variables: Record<string, string | number | boolean>;
}

/** The environment `on_failure` gets: everything about the run is here, as values, never in its command text. */
export function failureEnv(context: FailureContext, base: Record<string, string | undefined> = process.env): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(base)) if (v !== undefined) env[k] = v;
  Object.assign(env, {
    PIPELINE_NAME: context.pipeline.name, PIPELINE_FILE: context.file, PIPELINE_RUN_ID: String(context.runId),
    PIPELINE_STATUS: context.status, PIPELINE_TRIGGER: context.label, PIPELINE_FAILURE: context.reason,
  });
  for (const [name, value] of Object.entries(context.variables)) env[`PIPELINE_VAR_${name.toUpperCase()}`] = String(value);
  return env;
}

/**
 * Runs the pipeline's `on_failure` command in its folder. The command is the author's text, run
 * by the shell as written; run values reach it only through the environment, so a hostile
 * variable value stays data. Resolves with its exit code (undefined when it could not start).
 */
export function runOnFailure(context: FailureContext, log: (line: string) => void): Promise<number | undefined> {
  const command = context.pipeline.onFailure?.value;
  if (command === undefined) return Promise.resolve(undefined);
  const shell = process.platform === 'win32' ? { file: process.env.ComSpec ?? 'cmd.exe', args: ['/d', '/s', '/c', command] } : { file: '/bin/sh', args: ['-c', command] };
  return new Promise((resolve) => {
    const child = spawn(shell.file, shell.args, { cwd: dirname(context.file), env: failureEnv(context), stdio: ['ignore', 'pipe', 'pipe'] });
    const forward = (chunk: Buffer): void => {
      for (const line of chunk.toString('utf8').split('\n')) if (line !== '') log(`on_failure (${context.pipeline.name}): ${line}`);
    };
    child.stdout.on('data', forward);
    child.stderr.on('data', forward);
    child.on('error', (error) => {
      log(`on_failure of ${context.pipeline.name} could not start: ${error.message}`);
      resolve(undefined);
    });
    child.on('close', (code) => {
      if (code !== 0) log(`on_failure of ${context.pipeline.name} exited with ${code ?? 'a signal'}`);
      resolve(code ?? undefined);
    });
  });
}
