import type { ContainerEngineChoice, ExecutorProfile } from '../../model/executors.ts';
import type { AttemptResources } from '../../runner/executor.ts';
import { scriptFileArgv, SHELL_NAME } from '../scriptFile.ts';
import type { ShellName } from '../../model/pipeline.ts';

export type ContainerEngine = 'docker' | 'podman';

/** Labels on every container, so that cancel and the cleanup of a killed CLI find them by run. */
export const RUN_LABEL = 'pipeline-studio.run';
export const BLOCK_LABEL = 'pipeline-studio.block';

/**
 * Variables of the machine that starts the run that would break or mislead a container (its own
 * PATH and HOME come from the image). Everything else the engine resolved goes in.
 */
const HOST_ONLY = new Set(['PATH', 'HOME', 'HOSTNAME', 'PWD', 'OLDPWD', 'SHELL', 'SHLVL', 'TMPDIR', 'TERM', 'USER', 'LOGNAME', 'LD_LIBRARY_PATH', 'LD_PRELOAD', 'DISPLAY', 'MAIL']);
const HOST_ONLY_PREFIXES = ['XDG_', 'SSH_', 'DBUS_', 'WAYLAND_'];

export interface ContainerEnv {
  /** `NAME=value` lines for `--env-file` (the engine reads each value to the end of its line, literally). */
  envFile: string;
  /**
   * Names passed as `--env NAME` (no value): the engine takes the value from its own environment,
   * which the executor sets. For values an env file cannot hold (a newline).
   */
  inherited: string[];
}

export function containerEnv(env: Record<string, string>): ContainerEnv {
  const lines: string[] = [];
  const inherited: string[] = [];
  for (const [name, value] of Object.entries(env)) {
    if (!SHELL_NAME.test(name) || HOST_ONLY.has(name) || HOST_ONLY_PREFIXES.some((p) => name.startsWith(p))) continue;
    if (/[\r\n]/.test(value)) inherited.push(name);
    else lines.push(`${name}=${value}\n`);
  }
  return { envFile: lines.join(''), inherited };
}

/** A container name from the run and the block: `ps-<tag>-<block>`, in the characters engines allow. */
export function containerName(tag: string, block: string | undefined): string {
  return `ps-${tag}-${block ?? 'block'}`.replace(/[^A-Za-z0-9_.-]/g, '_').slice(0, 120);
}

export interface RunArgvInput {
  engine: ContainerEngine;
  profile: ExecutorProfile;
  name: string;
  runToken: string;
  block: string | undefined;
  shell: ShellName;
  /** The pipeline's folder, mounted at the same path. */
  folder: string;
  /** Other folders the attempt must see at the same path (the one holding $PIPELINE_OUTPUT). */
  mounts: readonly string[];
  cwd: string;
  envFile: string;
  inherited: readonly string[];
  scriptFile: string;
  resources: AttemptResources | undefined;
  /** The caller's uid and gid, so files written in the mounted folder belong to the user. */
  uid: number;
  gid: number;
}

/** `docker run` / `podman run` arguments: an argv array, never a shell string. */
export function containerRunArgv(input: RunArgvInput): string[] {
  const args = ['run', '--rm', '--init', `--name=${input.name}`, `--label=${RUN_LABEL}=${input.runToken}`, `--label=${BLOCK_LABEL}=${input.block ?? ''}`];
  for (const path of [...new Set([input.folder, ...input.mounts])]) args.push(`--volume=${path}:${path}`);
  args.push(`--workdir=${input.cwd}`, `--env-file=${input.envFile}`);
  for (const name of input.inherited) args.push('--env', name);
  args.push(`--user=${input.uid}:${input.gid}`);
  // Rootless podman maps the caller's uid into the container only when asked to.
  if (input.engine === 'podman' && input.uid !== 0) args.push('--userns=keep-id');
  const r = input.resources;
  if (r?.cpus !== undefined) args.push(`--cpus=${r.cpus}`);
  if (r?.memoryMb !== undefined) args.push(`--memory=${r.memoryMb}m`);
  if (r?.gpus !== undefined && r.gpus > 0) args.push(input.engine === 'docker' ? `--gpus=${r.gpus}` : '--device=nvidia.com/gpu=all');
  args.push(...input.profile.extra, input.profile.image ?? '', ...scriptFileArgv(input.shell, input.scriptFile));
  return args;
}

/** The polite stop and the forced one: `kill --signal=TERM NAME`, then `kill NAME` (SIGKILL). */
export function killArgv(name: string, force: boolean): string[] {
  return force ? ['kill', name] : ['kill', '--signal=TERM', name];
}

/** Containers of a run (or of every run): to find what a killed CLI left behind. */
export function leftoversArgv(runToken: string | undefined): string[] {
  return ['ps', '--all', '--quiet', `--filter=label=${RUN_LABEL}${runToken === undefined ? '' : `=${runToken}`}`];
}

export function removeArgv(ids: readonly string[]): string[] {
  return ['rm', '--force', ...ids];
}

/** `auto`: docker when on PATH, else podman (a setting may choose). */
export function chooseEngine(choice: ContainerEngineChoice, onPath: (program: string) => boolean): ContainerEngine | undefined {
  if (choice !== 'auto') return onPath(choice) ? choice : undefined;
  if (onPath('docker')) return 'docker';
  return onPath('podman') ? 'podman' : undefined;
}
