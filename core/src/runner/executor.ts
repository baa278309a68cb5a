import type { Block, ShellName } from '../model/pipeline.ts';

/**
 * Where an attempt of a block runs. The engine decides *what* runs and *when* (see blockMachine.ts);
 * an executor only runs one attempt it is handed and reports how it went. `local` (localExecutor.ts:
 * a process group on this machine) is the default; a cluster or container executor (SLURM, Argo,
 * Docker, …) implements the same interface.
 *
 * The life of an attempt, as the engine sees it:
 *
 *   start(options) ──► [onQueued(reason)]* ──► onStarted(pid) ──► onOutput(…)* ──► done settles
 *
 * - `start` returns at once (it must not block or throw: report problems through `done`).
 * - `onQueued(reason)`: optional, any number of times before `onStarted`, when the attempt waits in
 *   someone else's queue (a cluster's `Resources`, `Priority`, an image pull). The engine shows the
 *   block as queued with that reason.
 * - `onJob(id)`: optional, once, when the attempt has an id elsewhere (a SLURM job, a container).
 * - `onStarted(pid)`: exactly once, before any output: the attempt is running. `pid` is the local
 *   process id (undefined for remote work, or when it could not start at all: then `done` follows
 *   with ok false and a reason).
 * - `onOutput(stream, text)`: its output as it arrives, in order per stream.
 * - `done`: settles once, never rejects, after the last output. By then the file named by
 *   `env.PIPELINE_OUTPUT` must hold what the block wrote there (a remote executor copies it back),
 *   and nothing the attempt started may still run.
 * - `stop(why)`: idempotent; any time, also before `onStarted`. Means: ask it to end now (SIGTERM,
 *   `scancel`, a pod delete), and force it `graceMs` later (SIGKILL, `scancel -s KILL`, a zero-grace
 *   delete). The outcome then has ok false and reason `why`.
 * - `suspend` / `resume` (optional): "pause now". Freeze the attempt (SIGSTOP to its group, a cluster
 *   hold/suspend) and let it go on; false when it cannot (then the engine lets it run).
 *
 * Timeouts: the engine enforces `timeoutMs` itself (it calls `stop('timeout')`), counting from
 * `onStarted` on its injected clock, so that time spent queued or paused does not count. An executor
 * may pass it on as a wall-time limit to a scheduler, with `graceMs` of slack so that the engine's
 * stop wins.
 *
 * Per run: `prepare` is awaited once before the run's first attempt (upload, image pull, login);
 * throwing refuses the run with the error's message. `dispose` is called once when the run has
 * ended, whatever happened (remove what prepare made); its errors are ignored.
 */
export interface Executor {
  /** Shown to people and recorded: `local`, `slurm`, `argo`, … */
  readonly name: string;
  /** `local`, `slurm`, `container`, `argo`: recorded with each attempt beside the profile's name. */
  readonly type?: string;
  prepare?(run: ExecutorRun): Promise<void>;
  start(options: AttemptOptions): AttemptHandle;
  dispose?(run: ExecutorRun): Promise<void>;
}

/** What an executor knows of the run it serves. */
export interface ExecutorRun {
  runId: number;
  /** Random per run: part of every attempt's `tag`, unique across stores and machines. */
  token: string;
  pipelineName: string;
  /** Absolute path of the pipeline file. */
  pipelineFile: string;
  /** The pipeline's folder, the default working directory. */
  folder: string;
}

export type StopReason = 'cancelled' | 'timeout';

/** What a block may ask of the machine it runs on; executors that cannot honour a field ignore it. */
export interface AttemptResources {
  cpus?: number;
  memoryMb?: number;
  gpus?: number;
  /** Executor-specific settings (a partition, a node selector), passed through as given. */
  extra?: Record<string, string>;
}

/** One try of one block, with every expression resolved. */
export interface AttemptOptions {
  shell: ShellName;
  /** The block's command, values substituted (as the shell will read it). */
  script: string;
  /** Absolute; checked before spawning. */
  cwd: string;
  /** The complete environment of the process (PIPELINE_OUTPUT, PIPELINE_RUN_ID, the tag, …). */
  env: Record<string, string>;
  /** Its PIPELINE_PROCESS_TAG value (`<run token>.<block index>.<attempt>`), so escaped processes can be swept. */
  tag: string;
  /** Advisory for executors (see above): the engine stops the attempt itself. */
  timeoutMs: number | undefined;
  /** Between the polite stop and the forced one. */
  graceMs: number;
  onOutput: (stream: 'stdout' | 'stderr', text: string) => void;
  /** Called once, before any output: with the process id, or undefined when remote or when it could not start. */
  onStarted: (pid: number | undefined) => void;
  /** Waiting in an outside queue before starting, and why (`Resources`, `Priority`, `pulling image`). */
  onQueued?: (reason: string) => void;
  /** The remote job's id once known (a SLURM job id, a container's name): recorded with the attempt. */
  onJob?: (jobId: string) => void;
  /** Which run, block and attempt this is: for job names and labels. Always set by the engine. */
  runId?: number;
  block?: string;
  attempt?: number;
  resources?: AttemptResources;
  /** A `pipeline:` block (issue 17): the file to run as a child run (absolute) and its variables. */
  subPipeline?: { file: string; with: Record<string, string> };
}

export interface AttemptOutcome {
  /** True when the work exited with status 0 and was not stopped. */
  ok: boolean;
  exitCode: number | undefined;
  signal: string | undefined;
  /** Why it failed, for people: `timeout`, `cancelled`, `command not found: foo`, … */
  reason: string | undefined;
  pid: number | undefined;
}

export interface AttemptHandle {
  readonly done: Promise<AttemptOutcome>;
  /** Ends the attempt: politely now, by force after the grace period; the outcome's reason is `why`. Idempotent. */
  stop(why: StopReason): void;
  /** Freezes the attempt ("pause now"); false when it cannot be frozen. */
  suspend?(): boolean;
  /** Lets a frozen attempt go on; false when it was not frozen. */
  resume?(): boolean;
  /**
   * The run was paused (true) without freezing, or resumed (false): an attempt that schedules work
   * of its own (a sub-pipeline's child run) holds it too.
   */
  hold?(held: boolean): void;
}

/** Chooses each block's executor; undefined means the run's default. */
export type ExecutorChooser = (block: Block) => Executor | undefined;

/** An attempt that never started: `done` is already settled. */
export function finishedAttempt(outcome: AttemptOutcome): AttemptHandle {
  return { done: Promise.resolve(outcome), stop: () => undefined };
}
