import { execFile, spawn } from 'node:child_process';
import { mkdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { delimiter, dirname, join } from 'node:path';
import { CONTAINER_ENGINES, type ContainerEngineChoice, type ExecutorProfile } from '../../model/executors.ts';
import { finishedAttempt, type AttemptHandle, type AttemptOptions, type AttemptOutcome, type Executor, type ExecutorRun, type StopReason } from '../../runner/executor.ts';
import { chooseEngine, containerEnv, containerName, containerRunArgv, killArgv, leftoversArgv, removeArgv, type ContainerEngine } from './argv.ts';

export interface ContainerExecutorOptions {
  /** Overrides the profile's `engine` (the `pipelineStudio.executors.containerEngine` setting). */
  engine?: ContainerEngine;
  /**
   * What the profile's `engine: auto` means: the setting or the CLI's `--container-engine`; when
   * undefined, PIPELINE_STUDIO_CONTAINER_ENGINE of the client's environment, else auto.
   */
  defaultEngine?: ContainerEngineChoice | undefined;
  /** The environment the engine's client runs in (PATH, DOCKER_HOST, …); this process's by default. */
  env?: NodeJS.ProcessEnv;
  uid?: number;
  gid?: number;
}

/** PIPELINE_STUDIO_CONTAINER_ENGINE, when it names an engine choice. */
export function engineFromEnv(env: NodeJS.ProcessEnv): ContainerEngineChoice {
  const value = env['PIPELINE_STUDIO_CONTAINER_ENGINE'];
  return (CONTAINER_ENGINES as readonly string[]).includes(value ?? '') ? (value as ContainerEngineChoice) : 'auto';
}

function onPath(program: string, env: NodeJS.ProcessEnv): boolean {
  return (env['PATH'] ?? '').split(delimiter).some((dir) => {
    try {
      return dir !== '' && statSync(join(dir, program)).isFile();
    } catch {
      return false;
    }
  });
}

function call(program: string, args: readonly string[], env: NodeJS.ProcessEnv): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(program, args, { env }, (error, stdout, stderr) => (error === null ? resolve(stdout) : reject(new Error(`${program} ${args[0] ?? ''}: ${stderr.trim() || error.message}`))));
  });
}

/** Removes the containers a run left (or, without a token, every Pipeline Studio container): after a crashed CLI. */
export async function removeLeftoverContainers(engine: ContainerEngine, runToken: string | undefined, env: NodeJS.ProcessEnv = process.env): Promise<string[]> {
  const ids = (await call(engine, leftoversArgv(runToken), env)).split('\n').map((l) => l.trim()).filter((l) => l !== '');
  if (ids.length > 0) await call(engine, removeArgv(ids), env);
  return ids;
}

/**
 * The container executor for one `type: container` profile: each attempt is one `docker run` /
 * `podman run` of the profile's image, with the pipeline's folder mounted at the same path, the
 * block's working directory, its environment from an env file, the caller's uid:gid, named after
 * the run and block so that cancel is a `kill` by name.
 */
export function containerExecutor(profile: ExecutorProfile, options: ContainerExecutorOptions = {}): Executor {
  const clientEnv = options.env ?? process.env;
  const folders = new Map<number, string>();
  const choice = profile.engine !== 'auto' ? profile.engine : (options.defaultEngine ?? engineFromEnv(clientEnv));
  return {
    name: profile.name,
    type: 'container',
    prepare(run: ExecutorRun): Promise<void> {
      folders.set(run.runId, run.folder);
      return Promise.resolve();
    },
    start(attempt: AttemptOptions): AttemptHandle {
      const engine = options.engine ?? chooseEngine(choice, (p) => onPath(p, clientEnv));
      if (engine === undefined) {
        attempt.onStarted(undefined);
        return finishedAttempt({ ok: false, exitCode: undefined, signal: undefined, reason: `no container engine: ${choice === 'auto' ? 'neither docker nor podman' : choice} is on PATH`, pid: undefined });
      }
      return startContainerAttempt(attempt, {
        engine, profile, folder: folders.get(attempt.runId ?? -1) ?? attempt.cwd, clientEnv,
        uid: options.uid ?? process.getuid?.() ?? 0, gid: options.gid ?? process.getgid?.() ?? 0,
      });
    },
    async dispose(run: ExecutorRun): Promise<void> {
      folders.delete(run.runId);
      const engine = options.engine ?? chooseEngine(choice, (p) => onPath(p, clientEnv));
      if (engine !== undefined) await removeLeftoverContainers(engine, run.token, clientEnv).catch(() => []);
    },
  };
}

interface ContainerContext {
  engine: ContainerEngine;
  profile: ExecutorProfile;
  folder: string;
  clientEnv: NodeJS.ProcessEnv;
  uid: number;
  gid: number;
}

export function startContainerAttempt(options: AttemptOptions, ctx: ContainerContext): AttemptHandle {
  const dir = join(ctx.folder, '.pipelines', 'containers', options.tag.replace(/[^A-Za-z0-9._-]/g, '_'));
  const env = containerEnv(options.env);
  const files = { envFile: join(dir, 'env'), scriptFile: join(dir, 'script') };
  try {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    writeFileSync(files.envFile, env.envFile, { mode: 0o600 });
    // Readable by the container's user, which is the caller's uid anyway.
    writeFileSync(files.scriptFile, options.script, { mode: 0o644 });
  } catch (error) {
    options.onStarted(undefined);
    return finishedAttempt({ ok: false, exitCode: undefined, signal: undefined, reason: `could not write ${dir}: ${error instanceof Error ? error.message : String(error)}`, pid: undefined });
  }
  const output = options.env['PIPELINE_OUTPUT'];
  const name = containerName(options.tag, options.block);
  const argv = containerRunArgv({
    engine: ctx.engine, profile: ctx.profile, name, runToken: options.tag.split('.')[0] ?? options.tag, block: options.block, shell: options.shell,
    folder: ctx.folder, mounts: [dir, ...(output === undefined ? [] : [dirname(output)])], cwd: options.cwd, envFile: files.envFile,
    inherited: env.inherited, scriptFile: files.scriptFile, resources: options.resources, uid: ctx.uid, gid: ctx.gid,
  });
  // Values for `--env NAME` come from the client's environment: set exactly those.
  const spawnEnv: NodeJS.ProcessEnv = { ...ctx.clientEnv };
  for (const n of env.inherited) spawnEnv[n] = options.env[n];
  let stoppedBy: StopReason | undefined;
  let killTimer: NodeJS.Timeout | undefined;
  let stderrTail = '';
  const kill = (force: boolean): void => {
    execFile(ctx.engine, killArgv(name, force), { env: ctx.clientEnv }, () => undefined);
  };
  const done = new Promise<AttemptOutcome>((resolve) => {
    const child = spawn(ctx.engine, argv, { env: spawnEnv, stdio: ['ignore', 'pipe', 'pipe'] });
    let started = false;
    const start = (): void => {
      if (started) return;
      started = true;
      options.onStarted(undefined);
    };
    child.on('spawn', () => {
      options.onJob?.(name);
      start();
      if (stoppedBy !== undefined) kill(false);
    });
    child.stdout.setEncoding('utf8').on('data', (text: string) => options.onOutput('stdout', text));
    child.stderr.setEncoding('utf8').on('data', (text: string) => {
      stderrTail = (stderrTail + text).slice(-2048);
      options.onOutput('stderr', text);
    });
    const finish = (outcome: AttemptOutcome): void => {
      if (killTimer !== undefined) clearTimeout(killTimer);
      start();
      rmSync(files.envFile, { force: true });
      resolve(outcome);
    };
    child.on('error', (error) => finish({ ok: false, exitCode: undefined, signal: undefined, reason: `could not start ${ctx.engine}: ${error.message}`, pid: undefined }));
    child.on('close', (code, signal) => {
      const exitCode = code ?? undefined;
      const base = { exitCode, signal: signal ?? undefined, pid: undefined };
      if (stoppedBy !== undefined) finish({ ...base, ok: false, reason: stoppedBy });
      else if (code === 0) finish({ ...base, ok: true, reason: undefined });
      // 125: the engine itself failed (no image, no daemon); its message says why.
      else if (code === 125) finish({ ...base, ok: false, reason: `${ctx.engine}: ${stderrTail.trim().split('\n').pop() ?? 'could not run the container'}` });
      else finish({ ...base, ok: false, reason: code === 127 ? 'exit code 127: command not found' : `exit code ${String(code)}` });
    });
  });
  return {
    done,
    stop(why: StopReason): void {
      if (stoppedBy !== undefined) return;
      stoppedBy = why;
      kill(false);
      killTimer = setTimeout(() => kill(true), options.graceMs);
    },
  };
}
