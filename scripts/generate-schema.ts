// Builds schemas/pipeline.schema.json from the format's key table (core/src/model/schema.ts, the
// same table the validator and the language server read) plus the value shapes below.
//
//   scripts/node24.sh node scripts/generate-schema.ts    rewrite the committed schema
//
// test/schema/generated.test.ts fails when the committed file differs from what this builds, and
// test/schema/agreement.test.ts checks that the schema accepts exactly what the validator accepts.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  AFTER_STATUS_VALUES, BLOCK_ID_PATTERN, GROUP_NAME_PATTERN, MAX_GROUP_NAME, CONTAINER_ENGINES, EXECUTOR_KEYS, EXECUTOR_NAME_PATTERN, EXECUTOR_TYPES, MEMORY_PATTERN, CATCH_UP_VALUES, KEYS, ON_TIMEOUT_VALUES, OVERLAP_VALUES, SHELLS, TRIGGER_NAME_PATTERN, VARIABLE_NAME_PATTERN, VARIABLE_TYPES,
  type KeyContext,
} from '../core/src/index.ts';

export type Schema = { [keyword: string]: unknown };

export const SCHEMA_PATH = join(import.meta.dirname, '..', 'schemas', 'pipeline.schema.json');

const LIMITS = [
  'references between blocks (`depends_on` naming no block, self-dependencies, cycles)',
  'expressions inside `${{ }}` and `if` (syntax, unknown variables, blocks and outputs, upstream-only references)',
  'the cron syntax of `schedule` and `cron`',
  'triggers: which kind a trigger has (exactly one of `cron`, `every`, `at`, `always`, `files`, `after`), `at` times, time zones, `between` windows and `days`, `files` globs leaving the folder, `after` files that do not exist, chaining cycles, trigger `variables` the pipeline does not declare',
  'executor names: an `executor` naming no profile under `executors`',
  'duplicate keys',
  'a variable `default` that is not among its `enum` values',
  '`max_delay` smaller than `delay`',
  'an explicit `retry: null`, which the validator refuses but JSON cannot tell from an empty `retry:`',
  'YAML-level problems (syntax, tabs, tags, several documents) and the `.nan`/`.inf` numbers that JSON cannot hold',
];

const ROOT_DESCRIPTION =
  'A Pipeline Studio pipeline file (*.pipeline.yaml, *.pipeline.yml): blocks of shell commands, their dependencies, variables, retries, timeouts, conditions and outputs. ' +
  'Generated from the format\'s key table; a test keeps it accepting exactly the shapes the Pipeline Studio validator accepts. ' +
  `It cannot check: ${LIMITS.join('; ')}. The Pipeline Studio extension and \`pipeline-studio validate\` check all of these.`;

/** Strings, numbers and booleans are read as text where text is expected (`name: 2024`); null means "not set". */
const TEXT: Schema = { type: ['string', 'number', 'boolean', 'null'] };
const BOOLEAN: Schema = { type: ['boolean', 'null'] };

/** `90s`, `5m`, `1h30m`, `250ms`, `1d` (each unit at most once, surrounding spaces allowed), or a number of seconds. */
const UNIT_AT_MOST_ONCE = ['ms', 's', 'm(?!s)', 'h', 'd'].map((unit) => String.raw`(?![\s\S]*\d${unit}[\s\S]*\d${unit})`).join('');
const DURATION_TEXT = String.raw`^\s*${UNIT_AT_MOST_ONCE}(?:\d+(?:\.\d+)?(?:ms|s|m|h|d))+\s*$`;
const DURATION: Schema = {
  anyOf: [{ type: 'string', pattern: DURATION_TEXT }, { type: 'number', minimum: 0 }, { type: 'null' }],
};

/** An interval: a duration that is not zero. */
const NONZERO_DURATION: Schema = {
  anyOf: [{ type: 'string', pattern: `(?=[\\s\\S]*[1-9])${DURATION_TEXT}` }, { type: 'number', exclusiveMinimum: 0 }, { type: 'null' }],
};

/** One item or a list of them; list entries may not be empty. */
const ONE_OR_LIST: Schema = {
  anyOf: [{ type: ['string', 'number', 'boolean', 'null'] }, { type: 'array', items: { type: ['string', 'number', 'boolean'] } }],
};

const ENV: Schema = {
  type: ['object', 'null'],
  propertyNames: { pattern: VARIABLE_NAME_PATTERN.source },
  additionalProperties: { ...TEXT, description: 'The value, as text. Numbers and booleans are turned into their text.' },
};

// Output names follow the block id rule; a boolean is accepted since it reads as the name `true`/`false`.
const OUTPUT_NAME: Schema = { anyOf: [{ type: 'string', pattern: BLOCK_ID_PATTERN.source }, { type: 'boolean' }] };

const SCALAR: Schema = { type: ['string', 'number', 'boolean', 'null'] };

/**
 * An object schema for one context of KEYS: every key with its documentation and the shape given
 * here, and no other key. A key added to KEYS without a shape (or the other way round) fails.
 */
function objectOf(context: KeyContext, shapes: Record<string, Schema>): Schema {
  const properties: Record<string, Schema> = {};
  for (const [name, spec] of KEYS[context]) {
    const shape = shapes[name];
    if (shape === undefined) throw new Error(`scripts/generate-schema.ts: no shape for \`${name}\` (${context}); add one.`);
    properties[name] = { description: spec.doc, ...shape };
  }
  const extra = Object.keys(shapes).filter((name) => !KEYS[context].has(name));
  if (extra.length > 0) throw new Error(`scripts/generate-schema.ts: shapes for keys that are not in KEYS.${context}: ${extra.join(', ')}`);
  return { type: 'object', properties, additionalProperties: false };
}

/** `16G`, `512M`: a string with a unit (a bare number is refused, as its unit would be a guess). */
const MEMORY: Schema = { anyOf: [{ type: 'string', pattern: MEMORY_PATTERN.source }, { type: 'null' }] };

/** One profile: per `type`, exactly the keys that type takes; `container` and `argo` need an `image`. */
function executorProfile(shapes: Record<string, Schema>): Schema {
  const alternatives = EXECUTOR_TYPES.map((type) => {
    const properties: Record<string, Schema> = {};
    for (const key of EXECUTOR_KEYS.filter((k) => k.types.includes(type))) {
      const shape = shapes[key.name];
      if (shape === undefined) throw new Error(`scripts/generate-schema.ts: no shape for executor key \`${key.name}\`; add one.`);
      properties[key.name] = { description: key.doc, ...(key.name === 'type' ? { const: type } : shape) };
    }
    const required = type === 'container' || type === 'argo' ? ['type', 'image'] : ['type'];
    return { type: 'object', properties, required, additionalProperties: false };
  });
  return { description: 'An executor profile: `type` and the keys of that type.', anyOf: alternatives };
}

function retryOf(spec: Schema): Schema {
  // null stands for an empty `retry:` (no policy); see LIMITS for the explicit `retry: null`.
  return { anyOf: [{ type: 'integer', minimum: 1 }, { type: 'null' }, spec] };
}

/** A typed variable's default must have its type; a string variable takes any scalar. */
function typedDefault(type: string, accepts: string): Schema {
  return {
    if: { properties: { type: { const: type } }, required: ['type'] },
    then: { properties: { default: { type: [accepts, 'null'] } } },
  };
}

export function buildSchema(): Schema {
  const retry = retryOf(objectOf('retry', {
    attempts: { type: 'integer', minimum: 1 },
    delay: DURATION,
    backoff: { type: 'number', minimum: 1 },
    max_delay: DURATION,
  }));
  const cache = objectOf('cache', { inputs: ONE_OR_LIST, outputs: ONE_OR_LIST });
  const approval = objectOf('approval', { prompt: TEXT, timeout: DURATION, on_timeout: { enum: ['rejected', 'approved', null] } });
  const variable = objectOf('variable', {
    default: SCALAR,
    description: TEXT,
    type: { enum: [...VARIABLE_TYPES, null] },
    enum: { type: 'array', minItems: 1, items: SCALAR },
  });
  const shell = { enum: [...SHELLS, null] };
  const defaults = objectOf('defaults', { shell, cwd: TEXT, timeout: DURATION, retry, env: ENV });
  const block = objectOf('block', {
    run: { anyOf: [{ type: 'string', pattern: '\\S' }, { type: ['number', 'boolean'] }] },
    description: TEXT,
    depends_on: ONE_OR_LIST,
    shell,
    cwd: TEXT,
    env: ENV,
    retry,
    timeout: DURATION,
    if: { type: ['string', 'number', 'boolean'] },
    continue_on_error: BOOLEAN,
    disabled: BOOLEAN,
    outputs: { anyOf: [{ type: 'null' }, OUTPUT_NAME, { type: 'array', items: OUTPUT_NAME }] },
    cache: { ...cache, type: ['object', 'null'] },
    approval: { ...approval, type: ['object', 'null'] },
    group: { type: ['string', 'null'], pattern: GROUP_NAME_PATTERN.source, maxLength: MAX_GROUP_NAME },
    pipeline: { type: 'string', pattern: '\\S' },
    with: ENV,
    foreach: { anyOf: [{ type: 'string', pattern: '\\$\\{\\{' }, { type: 'array', items: { type: ['string', 'number', 'boolean'] } }, { ...objectOf('foreach', { glob: { type: 'string', minLength: 1 } }), required: ['glob'] }] },
    max_parallel: { type: ['integer', 'null'], minimum: 1 },
    executor: TEXT,
    resources: { ...objectOf('resources', { cpus: { type: ['integer', 'null'], minimum: 1 }, memory: MEMORY, gpus: { type: ['integer', 'null'], minimum: 0 } }), type: ['object', 'null'] },
  });
  const profile = executorProfile({
    type: {},
    image: { type: ['string', 'number', 'boolean'] },
    engine: { enum: [...CONTAINER_ENGINES, null] },
    partition: TEXT,
    time: DURATION,
    cpus: { type: ['integer', 'null'], minimum: 1 },
    memory: MEMORY,
    gres: TEXT,
    extra: ONE_OR_LIST,
    namespace: TEXT,
    service_account: TEXT,
  });
  const trigger = objectOf('trigger', {
    cron: TEXT,
    every: NONZERO_DURATION,
    at: TEXT,
    always: BOOLEAN,
    files: ONE_OR_LIST,
    after: TEXT,
    status: { enum: [...AFTER_STATUS_VALUES, null] },
    debounce: DURATION,
    min_gap: DURATION,
    between: TEXT,
    days: ONE_OR_LIST,
    timezone: TEXT,
    variables: {
      type: ['object', 'null'],
      propertyNames: { pattern: VARIABLE_NAME_PATTERN.source },
      additionalProperties: { type: ['string', 'number', 'boolean'] },
    },
    sla: DURATION,
    timeout: DURATION,
    on_timeout: { enum: [...ON_TIMEOUT_VALUES, null] },
  });
  const top = objectOf('top', {
    name: TEXT,
    description: TEXT,
    variables: {
      type: ['object', 'null'],
      propertyNames: { pattern: VARIABLE_NAME_PATTERN.source },
      additionalProperties: {
        description: 'A variable: its default value (`region: eu-west-1`), or `{ default, type, enum, description }`.',
        anyOf: [SCALAR, { ...variable, allOf: [typedDefault('number', 'number'), typedDefault('boolean', 'boolean')] }],
      },
    },
    env: ENV,
    defaults: { ...defaults, type: ['object', 'null'] },
    concurrency: { type: ['integer', 'null'], minimum: 1 },
    timeout: DURATION,
    schedule: TEXT,
    triggers: {
      type: ['object', 'null'],
      propertyNames: { pattern: TRIGGER_NAME_PATTERN.source },
      additionalProperties: { description: 'A trigger: when the pipeline runs on its own, and how.', anyOf: [{ type: 'null' }, trigger] },
    },
    overlap: { enum: [...OVERLAP_VALUES, null] },
    catch_up: { enum: [...CATCH_UP_VALUES, null] },
    on_failure: TEXT,
    executors: {
      type: ['object', 'null'],
      propertyNames: { pattern: EXECUTOR_NAME_PATTERN.source },
      additionalProperties: profile,
    },
    executor: TEXT,
    profiles: {
      type: ['object', 'null'],
      propertyNames: { pattern: TRIGGER_NAME_PATTERN.source },
      additionalProperties: { description: 'A profile: variable and env overrides applied by `run --profile NAME`.', type: ['object', 'null'], properties: { variables: ENV, env: ENV }, additionalProperties: false },
    },
    blocks: {
      type: 'object',
      minProperties: 1,
      propertyNames: { pattern: BLOCK_ID_PATTERN.source },
      additionalProperties: { description: 'A block: one shell command (`run`), or another pipeline file (`pipeline`), and how to run it.', ...block, anyOf: [{ properties: { run: true }, required: ['run'] }, { properties: { pipeline: true }, required: ['pipeline'] }] },
    },
  });
  return {
    $schema: 'http://json-schema.org/draft-07/schema#',
    title: 'Pipeline Studio pipeline',
    description: ROOT_DESCRIPTION,
    ...top,
    required: ['blocks'],
  };
}

export function schemaText(): string {
  return `${JSON.stringify(buildSchema(), null, 2)}\n`;
}

if (import.meta.main) {
  writeFileSync(SCHEMA_PATH, schemaText());
  console.log(`wrote ${SCHEMA_PATH}`);
}
