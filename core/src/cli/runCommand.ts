import { executeOnArgo, isArgoProfile } from './runOnArgo.ts';
import { cancelOnSignal } from './cancelOnSignal.ts';
import { CONTAINER_ENGINES, type ContainerEngineChoice } from '../model/executors.ts';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { LineIndex } from '../text/lineIndex.ts';
import { openStore, StoreError, type RunStore } from '../store/index.ts';
import { parseVarAssignments, planRun, RunRefused, startRun, type RunEvent, type RunPlan, type RunResult, type Selection } from '../runner/index.ts';
import { validatePipeline } from '../validate/validate.ts';
import { ControlChannels } from '../runner/controlChannels.ts';
import { ApprovalPrompter, gateWaitsLine } from './approvalPrompt.ts';
import { statusStyle } from '../model/status.ts';
import { readPipelineFile, UsageError } from './files.ts';
import { formatTable, parseCommandArgs, resolveStorePath } from './storeOptions.ts';
import type { CliIo } from './validateCommand.ts';
import { formatDuration } from '../util/duration.ts';
import { HASH_LIMIT_ENV, parseByteSize } from '../details/hashLimit.ts';
import { DetailsRecorder } from '../details/recorder.ts';
import { parseForEach, readBatchItems, runBatch } from './forEachBatch.ts';
import { CI_GROUP_STYLES, CiGroups, ciGroupStyleOf, type CiGroupStyle } from './ciGroups.ts';

const USAGE = `Usage: pipeline-studio run <file> [--var NAME=VALUE]… [--only A,B | --upto BLOCK | --from BLOCK | --retry RUN | --replay RUN]
                          [--profile NAME | --test] [--dry-run] [--concurrency N] [--no-cache] [--executor NAME]
                          [--container-engine auto|docker|podman] [--store PATH] [--hash-limit SIZE]
                          [--ci-groups github|gitlab|none] [--for-each VAR=@FILE [--max-parallel N]]
  RUN is a run number or 'latest' (the latest run of this pipeline).
  --profile NAME applies the file's profiles.NAME (its variables and env); --test is --profile test,
  recorded as a test run (trigger test), which success rates leave out unless asked.
  --executor NAME runs the blocks without their own 'executor:' on profile NAME ('local' or one of 'executors:').
  --container-engine: what a container profile's 'engine: auto' means (default: $PIPELINE_STUDIO_CONTAINER_ENGINE, else auto).
  --for-each runs the pipeline once per line of FILE (or per entry of a JSON list) with the variable
  VAR set to it, as one batch (find its runs with: pipeline-studio runs 'batch:ID'); --max-parallel
  runs at once (default 1).
  --ci-groups: each block's output as a collapsible group of the CI log; by default on GitHub Actions and GitLab CI
  (GITHUB_ACTIONS, GITLAB_CI).`;

/** SGR colours that read on dark and light terminals; a block keeps its colour for the whole run. */
const COLOURS = [36, 33, 35, 32, 34, 91, 96, 93, 95, 92, 94];

/**
 * `run`: validates the file (errors are printed like `validate` does, and nothing runs), runs it
 * with live output prefixed by block id, prints a summary table, and exits 0 when the run
 * completed, 1 when it failed, 130 when Ctrl+C cancelled it (recorded as `cancelled`).
 */
export async function runCommand(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseCommandArgs(args, {
    var: { type: 'string', multiple: true }, only: { type: 'string' }, upto: { type: 'string' }, from: { type: 'string' },
    retry: { type: 'string' }, replay: { type: 'string' }, 'dry-run': { type: 'boolean' }, concurrency: { type: 'string' },
    'no-cache': { type: 'boolean' }, executor: { type: 'string' }, 'container-engine': { type: 'string' }, store: { type: 'string' }, 'hash-limit': { type: 'string' }, 'ci-groups': { type: 'string' }, help: { type: 'boolean', short: 'h' },
    profile: { type: 'string' }, test: { type: 'boolean' },
    'for-each': { type: 'string' }, 'max-parallel': { type: 'string' },
  }, USAGE);
  if (values.help === true) {
    io.out(USAGE);
    return 0;
  }
  if (positionals.length !== 1) throw new UsageError(`${positionals.length === 0 ? 'Name the pipeline file to run.' : `Unexpected argument '${positionals[1] ?? ''}'.`}\n${USAGE}`);
  const file = resolve(positionals[0] ?? '');
  const modes = (['only', 'upto', 'from', 'retry', 'replay'] as const).filter((m) => values[m] !== undefined);
  if (modes.length > 1) throw new UsageError(`--${modes.join(' and --')} cannot be combined; choose one.\n${USAGE}`);
  const vars = parseVarAssignments(values.var ?? []);
  if ('error' in vars) throw new UsageError(`${vars.error}\n${USAGE}`);
  let concurrency: number | undefined;
  if (values.concurrency !== undefined) {
    if (!/^[1-9]\d{0,4}$/.test(values.concurrency)) throw new UsageError(`--concurrency must be a whole number from 1, not '${values.concurrency}'.\n${USAGE}`);
    concurrency = Number(values.concurrency);
  }
  // Files over it are recorded and fingerprinted by size and mtime, not read (default 1 GiB).
  const hashLimitText = values['hash-limit'] ?? process.env[HASH_LIMIT_ENV];
  const hashLimitBytes = hashLimitText === undefined || hashLimitText === '' ? undefined : parseByteSize(hashLimitText);
  if (typeof hashLimitBytes === 'object') throw new UsageError(`${values['hash-limit'] === undefined ? HASH_LIMIT_ENV : '--hash-limit'}: ${hashLimitBytes.error}.\n${USAGE}`);
  const engine = values['container-engine'];
  if (engine !== undefined && !(CONTAINER_ENGINES as readonly string[]).includes(engine)) throw new UsageError(`--container-engine is one of ${CONTAINER_ENGINES.join(', ')}, not '${engine}'.\n${USAGE}`);
  const groups = values['ci-groups'] ?? ciGroupStyleOf(process.env);
  if (!(CI_GROUP_STYLES as readonly string[]).includes(groups)) throw new UsageError(`--ci-groups must be ${CI_GROUP_STYLES.join(', ')}, not '${groups}'.\n${USAGE}`);
  const forEach = values['for-each'] === undefined ? undefined : parseForEach(values['for-each'], USAGE);
  let maxParallel = 1;
  if (values['max-parallel'] !== undefined) {
    if (forEach === undefined) throw new UsageError(`--max-parallel goes with --for-each.\n${USAGE}`);
    if (!/^[1-9]\d{0,3}$/.test(values['max-parallel'])) throw new UsageError(`--max-parallel must be a whole number from 1, not '${values['max-parallel']}'.\n${USAGE}`);
    maxParallel = Number(values['max-parallel']);
  }
  if (forEach !== undefined && Object.hasOwn(vars.values, forEach.name)) throw new UsageError(`--for-each sets ${forEach.name}; do not also give it with --var.\n${USAGE}`);
  if (forEach !== undefined && values['dry-run'] === true) throw new UsageError(`--for-each and --dry-run cannot be combined.\n${USAGE}`);
  const batchItems = forEach === undefined ? undefined : readBatchItems(forEach.path);
  let text: string;
  try {
    text = readPipelineFile(file);
  } catch {
    throw new UsageError(`No such file: ${positionals[0] ?? ''}`);
  }
  if (!printErrors(io, positionals[0] ?? file, text)) return 1;

  const dryRun = values['dry-run'] === true;
  const storePath = resolveStorePath(values.store, { create: !dryRun });
  let store: RunStore | undefined;
  try {
    // A dry run records nothing, so it only reads a store that already exists.
    if (!dryRun) store = openStore(storePath);
    else if (existsSync(storePath)) store = openStore(storePath, { readonly: true });
  } catch (error) {
    if (!(error instanceof StoreError)) throw error;
    if (!dryRun) {
      io.err(`pipeline-studio run: ${error.message}`);
      return 1;
    }
  }
  try {
    const runRef = (name: 'retry' | 'replay', value: string): number => {
      if (value === 'latest') {
        const latest = store?.latestRunId({ pipelineFile: file });
        if (latest === undefined) throw new UsageError(`There is no earlier run of ${file} to ${name}.`);
        return latest;
      }
      const match = /^#?([1-9]\d{0,15})$/.exec(value);
      if (match === null) throw new UsageError(`--${name} takes a run number or 'latest', not '${value}'.\n${USAGE}`);
      return Number(match[1]);
    };
    const selection: Selection =
      values.only !== undefined ? { mode: 'only', blocks: values.only.split(',').map((s) => s.trim()).filter((s) => s !== '') }
        : values.upto !== undefined ? { mode: 'upto', block: values.upto }
          : values.from !== undefined ? { mode: 'from', block: values.from }
            : values.retry !== undefined ? { mode: 'retry', runId: runRef('retry', values.retry) }
              : values.replay !== undefined ? { mode: 'replay', runId: runRef('replay', values.replay) }
                : { mode: 'all' };
    if (values.test === true && values.profile !== undefined && values.profile !== 'test') throw new UsageError(`--test is --profile test; it cannot be combined with --profile ${values.profile}.\n${USAGE}`);
    const profile = values.test === true ? 'test' : values.profile;
    const common = {
      file, text, variables: vars.values, selection, concurrency, noCache: values['no-cache'] === true, hashLimitBytes,
      ...(profile === undefined ? {} : { profile }),
      ...(values.executor === undefined ? {} : { executorOverride: values.executor }),
      ...(engine === undefined ? {} : { containerEngine: engine as ContainerEngineChoice }),
    };
    if (dryRun) {
      printPlan(io, planRun({ ...common, store }));
      return 0;
    }
    if (store === undefined) return 1;
    if (forEach !== undefined && batchItems !== undefined) return await runBatch(io, { ...common, variables: vars.values, store }, forEach.name, batchItems, maxParallel);
    // An argo profile runs the whole pipeline as one Workflow, not block by block here.
    if (values.executor !== undefined && isArgoProfile(common, values.executor)) return await executeOnArgo(io, { ...common, store, executor: values.executor });
    return await execute(io, { ...common, store, ...(values.test === true ? { trigger: 'test' as const } : {}) }, groups as CiGroupStyle);
  } catch (error) {
    if (!(error instanceof RunRefused)) throw error;
    for (const problem of error.problems) io.err(`pipeline-studio run: ${problem}`);
    return 1;
  } finally {
    store?.close();
  }
}

async function execute(io: CliIo, options: Parameters<typeof startRun>[0], groups: CiGroupStyle): Promise<number> {
  const printer = new LivePrinter(io, process.stdout.isTTY === true && process.env.NO_COLOR === undefined,
    groups === 'none' ? undefined : new CiGroups({ style: groups, out: io.out }));
  const details = new DetailsRecorder({ store: options.store, file: options.file, text: options.text, tool: 'pipeline-studio cli', hashLimitBytes: options.hashLimitBytes });
  const approvals = new ApprovalPrompter(io, process.stdin.isTTY === true);
  // `pipeline-studio pause/resume/cancel/approve/reject` from another terminal reach the run here,
  // and its sub-pipelines' child runs by their own numbers.
  const control = controlChannels(io, options.store.path);
  const handle = await startRun({
    trigger: 'cli', ...options,
    onChildRun: (child) => {
      control.watchChildren(child);
      // A child run's gate is not asked here (the run's prompt is for its own); it says how to decide it.
      return (e) => {
        if (e.type === 'block-status' && e.status === 'waiting') io.out(gateWaitsLine(e.runId, e.block));
      };
    },
    onEvent: (e) => {
      details.observe(e);
      printer.event(e);
      approvals.event(e);
    },
  });
  approvals.attach(handle);
  let cancelledElsewhere = false;
  // `pipeline-studio cancel N` from another terminal ends it like Ctrl+C does (exit 130).
  await control.add({ ...handle, cancel: () => {
    cancelledElsewhere = true;
    handle.cancel();
  } });
  let ended: { result: RunResult; interrupted: boolean };
  try {
    ended = await cancelOnSignal(io, '\nCancelling the run (Ctrl+C again is not needed; blocks get SIGTERM, then SIGKILL)…', () => handle.cancel(), handle.done);
  } finally {
    approvals.close();
    await control.close();
  }
  const { result } = ended;
  const interrupted = ended.interrupted || cancelledElsewhere;
  printer.flushAll();
  await details.settled();
  printSummary(io, result);
  if (result.status === 'completed') return 0;
  return interrupted && result.status === 'cancelled' ? 130 : 1;
}

/** The control channels of this process's runs; one that cannot listen is said once, not fatal. */
export function controlChannels(io: CliIo, storePath: string): ControlChannels {
  return new ControlChannels(storePath, (runId, message) => {
    io.err(`pipeline-studio run: no control channel for run #${runId} (pause, cancel, approve from elsewhere will not reach it): ${message}`);
  });
}

/** Prints the file's diagnostics like `validate` when it has errors; true when it may run. */
function printErrors(io: CliIo, shownPath: string, text: string): boolean {
  const { diagnostics } = validatePipeline(text, { fileName: shownPath });
  if (!diagnostics.some((d) => d.severity === 'error')) return true;
  const lines = new LineIndex(text);
  for (const d of diagnostics) {
    const at = lines.positionAt(d.span.start);
    io.err(`${shownPath}:${at.line + 1}:${at.character + 1}: ${d.severity} ${d.code}: ${d.message}`);
  }
  io.err(`pipeline-studio run: ${shownPath} has errors; nothing was run.`);
  return false;
}

/**
 * Live output, one line at a time, prefixed with the block id (and its colour on a terminal).
 * Output is cut at line ends so that two blocks printing at once never interleave mid-line.
 */
class LivePrinter {
  private readonly partial = new Map<string, string>();
  private readonly colour = new Map<string, number>();
  private width = 0;
  private runId = 0;
  private readonly io: CliIo;
  private readonly colours: boolean;
  private readonly groups: CiGroups | undefined;

  constructor(io: CliIo, colours: boolean, groups?: CiGroups) {
    this.io = io;
    this.colours = colours;
    this.groups = groups;
  }

  event(e: RunEvent): void {
    switch (e.type) {
      case 'run-started':
        this.runId = e.runId;
        this.width = Math.max(...e.blocks.map((b) => b.id.length));
        e.blocks.forEach((b, i) => this.colour.set(b.id, COLOURS[i % COLOURS.length] ?? 36));
        this.io.out(`Run #${e.runId} of ${e.pipelineName} (${e.blocks.length} blocks, up to ${e.concurrency} at once)`);
        return;
      case 'log-chunk':
        this.text(e.block, e.stream, e.text);
        return;
      case 'block-status':
        if (e.status === 'queued' || e.status === 'initial') return;
        this.flush(e.block);
        if (e.status === 'running') {
          if (e.reason !== undefined) this.line(e.block, `… ${e.reason}`);
          return;
        }
        {
          const ended = `${statusStyle(e.status).glyph} ${statusStyle(e.status).label}${e.reason !== undefined && e.status !== 'completed' ? ` (${e.reason})` : ''}`;
          if (this.groups !== undefined && statusStyle(e.status).final) this.groups.close(e.block, `${e.block} ${ended}`, e.status === 'completed');
          else this.line(e.block, ended);
        }
        return;
      case 'block-attempt':
        this.line(e.block, `▶ started${e.attempt > 1 ? ` (attempt ${e.attempt})` : ''}`);
        return;
      case 'run-status':
        this.io.out(`Run #${e.runId} ${e.status === 'paused' ? (e.reason ?? 'paused') : 'resumed'}`);
        return;
      case 'run-finished':
        this.flushAll();
        return;
    }
  }

  flushAll(): void {
    for (const key of [...this.partial.keys()]) this.flushKey(key);
    this.groups?.closeAll((block) => `${block} (ended with the run)`);
  }

  private text(block: string, stream: string, text: string): void {
    const key = `${block}\0${stream}`;
    const lines = ((this.partial.get(key) ?? '') + text).split('\n');
    this.partial.set(key, lines.pop() ?? '');
    for (const line of lines) this.line(block, line.replace(/\r$/, ''));
  }

  private flush(block: string): void {
    for (const stream of ['stdout', 'stderr', 'system']) this.flushKey(`${block}\0${stream}`);
  }

  private flushKey(key: string): void {
    const rest = this.partial.get(key);
    this.partial.delete(key);
    if (rest !== undefined && rest !== '') this.line(key.slice(0, key.indexOf('\0')), rest);
  }

  private line(block: string, text: string): void {
    if (this.groups !== undefined) {
      this.groups.line(block, text);
      return;
    }
    const prefix = block.padEnd(this.width);
    this.io.out(this.colours ? `\x1b[${this.colour.get(block) ?? 36}m${prefix} |\x1b[0m ${text}\x1b[0m` : `${prefix} | ${text}`);
  }
}

function printSummary(io: CliIo, result: RunResult): void {
  io.out('');
  const rows = result.blocks.map((b) => [
    b.block, statusStyle(b.status).label, String(b.attempts), b.durationMs === undefined ? '-' : formatDuration(b.durationMs),
    b.status === 'completed' ? '' : (b.reason ?? ''),
  ]);
  for (const line of formatTable(['block', 'status', 'attempts', 'duration', 'reason'], rows, new Set([2, 3]))) io.out(line);
  io.out(`Run #${result.runId} ${statusStyle(result.status).label}${result.error !== undefined ? ` (${result.error})` : ''}.`);
}

function printPlan(io: CliIo, plan: RunPlan): void {
  io.out(`Dry run of ${plan.pipelineName} (${plan.mode}${plan.selection.length > 0 ? ` ${plan.selection.join(', ')}` : ''}); nothing is executed or recorded.`);
  const label: Record<string, string> = { run: 'would run', cached: 'cached', skipped: 'skipped', condition_failed: 'condition false', fail: 'would fail' };
  const rows = plan.blocks.map((b) => [b.block, label[b.action] ?? b.action, [b.reason, ...b.notes].filter((x) => x !== undefined).join('; ')]);
  for (const line of formatTable(['block', 'plan', 'why'], rows)) io.out(line);
  for (const b of plan.blocks) {
    if (b.command !== undefined && b.action === 'run') io.out(`\n${b.block}:\n${b.command.trimEnd().replace(/^/gm, '  ')}`);
  }
}
