import { EXECUTOR_KEYS, RESOURCE_KEYS } from './executors.ts';

/**
 * Every key of the format with its documentation: the one table the validator (unknown keys),
 * the language server (completion, hover) and the JSON Schema test all read.
 */
export type ValueKind = 'string' | 'text' | 'number' | 'integer' | 'boolean' | 'duration' | 'map' | 'list' | 'ids' | 'retry' | 'cron' | 'expression' | 'scalar' | 'variables' | 'blocks';

export interface KeySpec {
  name: string;
  kind: ValueKind;
  doc: string;
  /** Values offered by completion. */
  values?: readonly string[];
}

export type KeyContext = 'top' | 'block' | 'defaults' | 'retry' | 'cache' | 'approval' | 'foreach' | 'variable' | 'trigger' | 'executor' | 'resources';

const SHELL_VALUES = ['bash', 'sh', 'zsh', 'pwsh', 'python', 'node'] as const;
const DURATION_DOC = 'A duration: `90s`, `5m`, `1h30m`, `250ms`, `1d`, or a number of seconds.';

function keys(...specs: readonly KeySpec[]): ReadonlyMap<string, KeySpec> {
  return new Map(specs.map((s) => [s.name, s]));
}

export const KEYS: Readonly<Record<KeyContext, ReadonlyMap<string, KeySpec>>> = {
  top: keys(
    { name: 'name', kind: 'string', doc: 'The pipeline name shown in run history. Default: the file name without `.pipeline.yaml`.' },
    { name: 'description', kind: 'string', doc: 'What the pipeline does.' },
    { name: 'variables', kind: 'variables', doc: 'Run variables: `name: default`, or `name: { default, description, type, enum }`. Overridable per run; referenced as `${{ vars.name }}`.' },
    { name: 'env', kind: 'map', doc: 'Environment variables (strings) for every block.' },
    { name: 'defaults', kind: 'map', doc: '`shell`, `cwd`, `timeout`, `retry` and `env` applied to every block unless the block sets its own.' },
    { name: 'concurrency', kind: 'integer', doc: 'How many blocks may run at once (a positive integer). Default: the number of CPUs.' },
    { name: 'timeout', kind: 'duration', doc: `Limit for the whole run. ${DURATION_DOC}` },
    { name: 'schedule', kind: 'cron', doc: 'When the pipeline runs on its own: five cron fields (`0 3 * * *`) or `@hourly`, `@daily`, `@weekly`, `@monthly`, `@yearly`.' },
    { name: 'triggers', kind: 'map', doc: 'When the pipeline runs on its own: a map of trigger name to one of `cron`, `every`, `at`, `always`, `files` or `after`, with optional `between`/`days` windows, `timezone`, `variables`, `sla`, `timeout` and `on_timeout`. Trigger names match `^[A-Za-z_][A-Za-z0-9_-]*$`.' },
    { name: 'overlap', kind: 'string', doc: 'What a trigger firing while a run of this pipeline is in flight does: `skip` (default) drops the fire, `queue` runs it after, `allow` runs both, `cancel-previous` cancels the running one.', values: ['skip', 'queue', 'allow', 'cancel-previous'] },
    { name: 'catch_up', kind: 'string', doc: 'Fires missed while no scheduler was running: `none` (default) forgets them, `latest` runs the latest missed one when the scheduler starts.', values: ['none', 'latest'] },
    { name: 'on_failure', kind: 'string', doc: 'A command run when a triggered run fails or misses its SLA, in the pipeline\'s folder with the run\'s `PIPELINE_*` variables in its environment. Like `run`, values reach it as data, never as code.' },
    { name: 'executors', kind: 'map', doc: 'Named executor profiles: where blocks run. A map of name to `{ type: local | container | slurm | argo, … }` with the keys of that type.' },
    { name: 'executor', kind: 'string', doc: 'The executor profile every block runs on unless it names its own: `local` (default) or a name under `executors`.' },
    { name: 'blocks', kind: 'blocks', doc: 'The blocks of the pipeline: a map of block id to block. Ids match `^[A-Za-z_][A-Za-z0-9_-]*$`.' },
    { name: 'profiles', kind: 'map', doc: 'Named sets of overrides for a run: `name: { variables: {…}, env: {…} }`. `run --profile NAME` (or Run with Profile…) applies one; `--test` applies `test` and records a test run, left out of success rates.' },
  ),
  block: keys(
    { name: 'run', kind: 'text', doc: 'The shell command (required unless the block runs a `pipeline:`; several lines allowed with `|`). `${{ }}` values are substituted shell-quoted, so they are always data, never code.' },
    { name: 'description', kind: 'string', doc: 'What the block does.' },
    { name: 'depends_on', kind: 'ids', doc: 'Blocks that must finish before this one starts: a list of block ids, or one id.' },
    { name: 'shell', kind: 'string', doc: 'The shell that runs `run`: `bash` (default, with `-eo pipefail`), `sh`, `zsh`, `pwsh`, `python` or `node`.', values: SHELL_VALUES },
    { name: 'cwd', kind: 'string', doc: 'Working directory, relative to the pipeline file\'s folder.' },
    { name: 'env', kind: 'map', doc: 'Environment variables for this block; they override the pipeline\'s and `defaults.env`.' },
    { name: 'retry', kind: 'retry', doc: 'Retries: `{ attempts, delay, backoff, max_delay }`, or a number of attempts. Attempts count all tries.' },
    { name: 'timeout', kind: 'duration', doc: `Limit for each attempt of this block. ${DURATION_DOC}` },
    { name: 'if', kind: 'expression', doc: 'A condition (`vars.env == \'prod\'`, braces optional). When false the block is skipped as `condition_failed`, and so are its dependents.' },
    { name: 'continue_on_error', kind: 'boolean', doc: 'When true, a failure of this block fails neither the run nor its dependents.' },
    { name: 'disabled', kind: 'boolean', doc: 'When true, the block and everything that needs it are skipped.' },
    { name: 'outputs', kind: 'list', doc: 'Output names the block promises to write as `name=value` lines to `$PIPELINE_OUTPUT`. Once declared, downstream references to other names are errors.' },
    { name: 'cache', kind: 'map', doc: '`{ inputs: [globs], outputs: [paths] }`: the block is skipped as `cached` when its command, env, inputs and upstream did not change.' },
    { name: 'executor', kind: 'string', doc: 'Where this block runs: `local` or a profile under `executors` (default: the pipeline\'s `executor`).' },
    { name: 'resources', kind: 'map', doc: '`{ cpus, memory, gpus }`: what the block needs, which each executor maps to its own flags (SLURM `--cpus-per-task`/`--mem`/`--gres`, container `--cpus`/`--memory`/`--gpus`, Kubernetes requests and limits).' },
    { name: 'approval', kind: 'map', doc: '`{ prompt, timeout, on_timeout }`: the block waits (status `waiting`) until someone approves it (it runs) or rejects it (it fails with reason `rejected`).' },
    { name: 'group', kind: 'string', doc: 'The group this block belongs to in the graph (`Groups` collapses each group into one node). When any block names a group, these names are the graph\'s groups instead of id prefixes. Letters, digits, spaces, `_ - . /`; at most 60 characters.' },
    { name: 'pipeline', kind: 'string', doc: 'Runs another pipeline file (relative to this one) as this block, instead of `run`: a child run, recorded and linked to this one; its status is the block\'s. A file may not include itself, directly or through others.' },
    { name: 'with', kind: 'map', doc: 'The child pipeline\'s variables, for a `pipeline:` block: `name: value`; `${{ }}` values are substituted as data.' },
    { name: 'foreach', kind: 'scalar', doc: 'Fan-out: run the block once per item (`resize[0]`, `resize[1]`, …). An expression whose value is a newline- or JSON-list (`${{ blocks.list.outputs.files }}`), a literal list, or `{ glob: "data/in/*.jpg" }` matched at run time. The block\'s fields read `${{ item }}`, `${{ item.index }}` and `${{ item.name }}` (the file name); dependents read each output as a JSON list.' },
    { name: 'max_parallel', kind: 'integer', doc: 'With `foreach`: how many items may run at once (a positive integer); the run\'s `concurrency` still applies. Default: no limit of its own.' },
  ),
  defaults: keys(
    { name: 'shell', kind: 'string', doc: 'Default shell for every block.', values: SHELL_VALUES },
    { name: 'cwd', kind: 'string', doc: 'Default working directory, relative to the pipeline file\'s folder.' },
    { name: 'timeout', kind: 'duration', doc: `Default limit for each block attempt. ${DURATION_DOC}` },
    { name: 'retry', kind: 'retry', doc: 'Default retry policy for every block.' },
    { name: 'env', kind: 'map', doc: 'Environment variables for every block (over the pipeline\'s `env`).' },
  ),
  retry: keys(
    { name: 'attempts', kind: 'integer', doc: 'Total number of tries, at least 1.' },
    { name: 'delay', kind: 'duration', doc: `Wait before the second try. ${DURATION_DOC}` },
    { name: 'backoff', kind: 'number', doc: 'Factor (≥ 1) the delay grows by for each further try: `delay * backoff^(n-1)`. Default 2.' },
    { name: 'max_delay', kind: 'duration', doc: 'Upper bound of the delay between tries.' },
  ),
  cache: keys(
    { name: 'inputs', kind: 'list', doc: 'Glob patterns of the files the block reads; their content is part of the fingerprint.' },
    { name: 'outputs', kind: 'list', doc: 'Paths the block writes; a cache hit needs them unchanged since the cached run.' },
  ),
  approval: keys(
    { name: 'prompt', kind: 'text', doc: 'The question shown to whoever decides; `${{ }}` values are shown as text, never run.' },
    { name: 'timeout', kind: 'duration', doc: `How long to wait for a decision; then \`on_timeout\` decides. ${DURATION_DOC}` },
    { name: 'on_timeout', kind: 'string', doc: 'What a timeout decides: `rejected` (default) or `approved`.', values: ['rejected', 'approved'] },
  ),
  foreach: keys(
    { name: 'glob', kind: 'string', doc: 'Files matched at run time, relative to the block\'s `cwd`, sorted; one item per file (`${{ item }}` the path, `${{ item.name }}` the file name).' },
  ),
  variable: keys(
    { name: 'default', kind: 'scalar', doc: 'The value used when a run does not set one.' },
    { name: 'description', kind: 'string', doc: 'Shown when a run asks for the value.' },
    { name: 'type', kind: 'string', doc: '`string` (default), `number` or `boolean`.', values: ['string', 'number', 'boolean'] },
    { name: 'enum', kind: 'list', doc: 'The only values allowed.' },
  ),
  executor: keys(...EXECUTOR_KEYS),
  resources: keys(...RESOURCE_KEYS),
  trigger: keys(
    { name: 'cron', kind: 'cron', doc: 'Fires on a cron schedule: five fields (`0 3 * * *`; `L` and `#` allowed) or `@hourly`, `@daily`, `@weekly`, `@monthly`, `@yearly`, in `timezone`.' },
    { name: 'every', kind: 'duration', doc: `Fires at a fixed interval: on multiples of it since 1970-01-01 UTC, or from the start of each \`between\` window. ${DURATION_DOC}` },
    { name: 'at', kind: 'string', doc: 'Fires once, at an ISO 8601 time: `2026-12-24T18:00:00Z`, or without an offset in `timezone`.' },
    { name: 'always', kind: 'boolean', doc: 'When true, a new run starts as soon as the previous one ended (after `min_gap`): always on.' },
    { name: 'files', kind: 'list', doc: 'Fires when files matching these globs (relative to the pipeline\'s folder) are created or changed, once they stop changing for `debounce`.' },
    { name: 'after', kind: 'string', doc: 'Fires when a run of this other pipeline file (relative to this file\'s folder) ends with `status`: chaining.' },
    { name: 'status', kind: 'string', doc: 'For `after`: the upstream run\'s end that fires: `completed` (default), `failed` or `any`.', values: ['completed', 'failed', 'any'] },
    { name: 'debounce', kind: 'duration', doc: `For \`files\`: quiet time after the last change before firing. Default 1s. ${DURATION_DOC}` },
    { name: 'min_gap', kind: 'duration', doc: `For \`always\`: the least time between the end of a run and the start of the next. ${DURATION_DOC}` },
    { name: 'between', kind: 'string', doc: 'A daily window, `HH:MM-HH:MM` in `timezone` (the end excluded; an end before the start spans midnight): the trigger fires only inside it.' },
    { name: 'days', kind: 'string', doc: 'Days the trigger may fire: `mon-fri`, `sat,sun`, or a list of day names (`sun`–`sat`).' },
    { name: 'timezone', kind: 'string', doc: 'IANA time zone of `cron`, `at`, `between` and `days`, like `Europe/Paris`. Default: the machine\'s.' },
    { name: 'variables', kind: 'map', doc: 'Run variables for runs of this trigger: `name: value`, each declared in the pipeline\'s `variables`.' },
    { name: 'sla', kind: 'duration', doc: `Expected completion: a run still going after this long, or ending later, raises an alert (and runs \`on_failure\`). ${DURATION_DOC}` },
    { name: 'timeout', kind: 'duration', doc: `Limit for a run of this trigger; what happens then is \`on_timeout\`. ${DURATION_DOC}` },
    { name: 'on_timeout', kind: 'string', doc: 'At `timeout`: `failed` (default) or `cancelled` stops the run with that status; `warn` raises an alert and lets it go on.', values: ['failed', 'cancelled', 'warn'] },
  ),
};

export const TRIGGER_NAME_PATTERN = /^[A-Za-z_][A-Za-z0-9_-]*$/;

export const EXECUTOR_NAME_PATTERN = /^[A-Za-z_][A-Za-z0-9_-]*$/;
export const BLOCK_ID_PATTERN = /^[A-Za-z_][A-Za-z0-9_-]*$/;
export const VARIABLE_NAME_PATTERN = /^[A-Za-z_][A-Za-z0-9_]*$/;
