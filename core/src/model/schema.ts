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

export type KeyContext = 'top' | 'block' | 'defaults' | 'retry' | 'cache' | 'variable';

const SHELL_VALUES = ['bash', 'sh', 'zsh', 'pwsh', 'python', 'node'] as const;
const DURATION_DOC = 'A duration: `90s`, `5m`, `1h30m`, `250ms`, `1d`, or a number of seconds.';

function keys(...specs: KeySpec[]): ReadonlyMap<string, KeySpec> {
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
    { name: 'blocks', kind: 'blocks', doc: 'The blocks of the pipeline: a map of block id to block. Ids match `^[A-Za-z_][A-Za-z0-9_-]*$`.' },
  ),
  block: keys(
    { name: 'run', kind: 'text', doc: 'The shell command (required; several lines allowed with `|`). `${{ }}` values are substituted shell-quoted, so they are always data, never code.' },
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
  variable: keys(
    { name: 'default', kind: 'scalar', doc: 'The value used when a run does not set one.' },
    { name: 'description', kind: 'string', doc: 'Shown when a run asks for the value.' },
    { name: 'type', kind: 'string', doc: '`string` (default), `number` or `boolean`.', values: ['string', 'number', 'boolean'] },
    { name: 'enum', kind: 'list', doc: 'The only values allowed.' },
  ),
};

export const BLOCK_ID_PATTERN = /^[A-Za-z_][A-Za-z0-9_-]*$/;
export const VARIABLE_NAME_PATTERN = /^[A-Za-z_][A-Za-z0-9_]*$/;
