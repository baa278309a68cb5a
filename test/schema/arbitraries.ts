import fc from 'fast-check';
import { SHELLS, VARIABLE_TYPES } from '../../core/src/index.ts';

/** Pipelines as JSON-like data, written to YAML by the tests. */
export type Data = null | boolean | number | string | Data[] | { [key: string]: Data };

const text = fc.constantFrom('x', 'echo hi', 'data/*.csv', 'a b', '${{ vars.x }}', 'true', '42', '');
const name = fc.constantFrom('a', 'b', 'extract', 'load-db', '_setup', 'x_1');
const duration = fc.oneof(fc.constantFrom('90s', '5m', '1h30m', '250ms', '1d', '1.5h', ' 2m ', '1m30s'), fc.constantFrom(0, 2, 1.5, 3600));
const shell = fc.constantFrom(...SHELLS);
const nameList = fc.oneof(name, fc.uniqueArray(name, { maxLength: 3 }));
const env = fc.dictionary(fc.constantFrom('A', 'OUT', 'LOG_LEVEL', '_x'), fc.oneof(text, fc.integer({ min: 0, max: 9000 }), fc.boolean(), fc.constant(null)), { maxKeys: 3 });

// Each delay is drawn below each max_delay, since `max_delay < delay` is beyond a JSON Schema.
const retry = fc.oneof(
  fc.integer({ min: 1, max: 5 }),
  fc.record({
    attempts: fc.integer({ min: 1, max: 5 }),
    delay: fc.constantFrom('0s', '1s', 2, null),
    backoff: fc.constantFrom(1, 1.5, 2),
    max_delay: fc.constantFrom('30s', '1m', 60, null),
  }, { requiredKeys: [] }),
);

const variable = fc.oneof(
  fc.oneof(text, fc.integer(), fc.boolean(), fc.constant(null)),
  fc.record({ default: fc.constantFrom('dev', 'prod'), enum: fc.constant(['dev', 'prod']), type: fc.constant('string'), description: text }, { requiredKeys: [] }),
  fc.record({ default: fc.integer({ min: -5, max: 5 }), type: fc.constant('number'), description: text }, { requiredKeys: ['type'] }),
  fc.record({ default: fc.boolean(), type: fc.constant('boolean') }, { requiredKeys: ['type'] }),
);

const block = fc.record({
  run: fc.oneof(fc.constantFrom('echo hi', 'make test\n./deploy.sh\n', '${{ vars.x }}'), fc.integer({ min: 0, max: 9 }), fc.boolean()),
  description: text,
  depends_on: nameList,
  shell,
  cwd: text,
  env,
  retry,
  timeout: duration,
  if: fc.oneof(fc.constantFrom("vars.x == 'a'", '${{ true }}'), fc.boolean()),
  continue_on_error: fc.boolean(),
  disabled: fc.boolean(),
  outputs: fc.oneof(name, fc.uniqueArray(name, { maxLength: 3 })),
  cache: fc.record({ inputs: nameList, outputs: nameList }, { requiredKeys: [] }),
}, { requiredKeys: ['run'] });

export const validPipeline: fc.Arbitrary<Data> = fc.record({
  name: text,
  description: text,
  variables: fc.dictionary(fc.constantFrom('x', 'env', 'Region', '_n1'), variable, { maxKeys: 3 }),
  env,
  defaults: fc.record({ shell, cwd: text, timeout: duration, retry, env }, { requiredKeys: [] }),
  concurrency: fc.integer({ min: 1, max: 64 }),
  timeout: duration,
  schedule: fc.constantFrom('0 3 * * *', '@daily'),
  blocks: fc.dictionary(name, block, { minKeys: 1, maxKeys: 3 }),
}, { requiredKeys: ['blocks'] }) as fc.Arbitrary<Data>;

/** Values of every JSON type, with the near misses people write: wrong units, wrong enums, blanks. */
const anyScalar: fc.Arbitrary<Data> = fc.oneof(
  fc.constantFrom('', ' ', 'x', '3d', 'bad-name', 'load.db', '5', '5 minutes', '1m1m', '-5s', 'ms', '5m', 'bsh', 'Bash', 'strin', ...VARIABLE_TYPES, ...SHELLS),
  fc.constantFrom(-1, 0, 0.5, 1, 2.5, 3),
  fc.boolean(),
  fc.constant(null),
);
const anyValue: fc.Arbitrary<Data> = fc.oneof(
  { weight: 4, arbitrary: anyScalar },
  { weight: 1, arbitrary: fc.array(anyScalar, { maxLength: 2 }) },
  { weight: 1, arbitrary: fc.dictionary(fc.constantFrom('a', 'run', 'attempts', 'default', 'inputs'), anyScalar, { maxKeys: 2 }) },
);
const unknownKey = fc.constantFrom('depends-on', 'Run', 'retries', 'attempt', 'input', 'timeout_s', 'x', 'blocks', 'run', 'default');

/** Every key of the format, each used once or more, with valid values. */
export const COMPLETE: Data = {
  name: 'complete',
  description: 'All keys',
  variables: {
    env: { default: 'dev', enum: ['dev', 'prod'], type: 'string', description: 'Target' },
    epochs: { default: 3, type: 'number' },
    dry_run: { default: false, type: 'boolean' },
    seed: 42,
  },
  env: { DATA_DIR: 'data' },
  defaults: { shell: 'bash', cwd: '.', timeout: '10m', retry: { attempts: 2, delay: '1s', backoff: 2, max_delay: '30s' }, env: { LOG_LEVEL: 'info' } },
  concurrency: 4,
  timeout: '1h30m',
  schedule: '@daily',
  triggers: {
    nightly: { cron: '0 3 * * *', timezone: 'Europe/Paris', variables: { env: 'prod', epochs: 5 }, sla: '45m', timeout: '2h', on_timeout: 'cancelled' },
    office: { every: '30m', between: '09:00-17:30', days: 'mon-fri' },
    data: { files: ['data/**/*.csv'], debounce: '2s' },
    chained: { after: 'other.pipeline.yaml', status: 'any' },
    fresh: { always: true, min_gap: '1m', days: ['sat', 'sun'] },
    release: { at: '2026-12-24T18:00:00Z' },
  },
  overlap: 'queue',
  catch_up: 'latest',
  on_failure: './notify.sh',
  blocks: {
    extract: {
      description: 'Read', run: 'echo rows=3 >> "$PIPELINE_OUTPUT"', outputs: ['rows'], cache: { inputs: ['data/*.csv'], outputs: ['out/raw.csv'] },
      shell: 'sh', cwd: 'jobs', env: { A: 'a' }, retry: 3, timeout: '90s', if: true, continue_on_error: false, disabled: false,
    },
    load: { depends_on: ['extract'], if: "vars.env == 'prod'", run: 'echo ${{ blocks.extract.outputs.rows }}', retry: { attempts: 3, delay: '5s' } },
  },
};

// Block ids, variable and env names, valid or not, for renamed keys.
const renamed = fc.constantFrom('3d-render', 'load.db', 'my block', '9lives', 'bad-name', 'ok_name', 'B', 'é');

const DURATION_MISSES: Data[] = ['5 minutes', '1m1m', '\n1m1m\n', ' 2m ', '-5s', '', ' ', '5', 'ms', '1.5.5s', '5M', '2h 1m', '1h1m1s', '1s1ms', -1, true, [], {}];
const TEXT_MISSES: Data[] = [[], {}, ['x'], null, 3, true];

/** For a key, the mistakes people make in its value; drawn half of the time, so that each rule is hit. */
export const NEAR_MISSES: Readonly<Record<string, Data[]>> = {
  run: ['', ' ', '\n\t', null, 0, true, [], {}],
  backoff: [0.5, 0, -1, 1, '2', null, true],
  attempts: [0, -1, 1.5, '3', null, 1],
  retry: [0, 1.5, '3', null, [], {}, { attempts: 0 }, { delays: 1 }, true],
  delay: DURATION_MISSES,
  max_delay: DURATION_MISSES,
  timeout: DURATION_MISSES,
  shell: ['bsh', 'Bash', '', 3, true, [], null, 'node'],
  type: ['strin', 'Number', 3, true, null, 'boolean', 'number', []],
  default: ['3', 3, true, 'true', null, [], {}],
  enum: [[], [[]], null, 'a', [1, 'a'], [null], [{}]],
  concurrency: [0, -1, 1.5, '4', true, null, 1],
  outputs: ['1st', 'a.b', ['1st'], [null], [[]], {}, true, 3, ['ok', 'ok'], ['-x']],
  depends_on: [[null], [[]], {}, 3, true, [1], null],
  inputs: [[null], {}, 3, [[]]],
  continue_on_error: ['yes', 'true', 1, 0, null, []],
  disabled: ['no', 'false', 1, null, {}],
  if: [null, [], {}, 3, '', true],
  name: TEXT_MISSES,
  description: TEXT_MISSES,
  cwd: TEXT_MISSES,
  schedule: TEXT_MISSES,
  env: [[], 'x', null, 3, {}, { A: [] }, { A: {} }],
  variables: [[], 'x', null, {}, { x: [] }, { x: { type: 'number', default: 'a' } }],
  defaults: [[], 'x', null, {}, { depends_on: 'a' }],
  cache: [[], 'x', null, {}, { key: 'a' }],
  blocks: [[], 'x', null, {}, { a: null }, { a: 'echo' }, { a: [] }, { a: {} }],
  triggers: [[], 'x', null, {}, { t: null }, { t: 'x' }, { t: [] }, { '1t': { every: '1m' } }, { t: { evry: '1m' } }, { t: { every: '1m', cron: '@daily' } }],
  every: [...DURATION_MISSES, 0, '0s', '0m', '0.0s', null],
  sla: DURATION_MISSES,
  debounce: DURATION_MISSES,
  min_gap: DURATION_MISSES,
  overlap: ['skipp', 'Skip', 3, true, [], null, 'allow'],
  catch_up: ['all', 3, null, true, []],
  on_timeout: ['cancel', 'warn', 3, null, [], true],
  status: ['complete', 'any', 3, null, {}],
  always: ['yes', 1, null, false, []],
  files: [[null], {}, 3, [[]], [], '/etc/*', null],
  days: [[null], {}, 3, 'funday', 'fri-mon', null],
  between: [...TEXT_MISSES, '9-17', '22:00-06:00'],
  timezone: [...TEXT_MISSES, 'Mars/Olympus', 'UTC'],
  cron: [...TEXT_MISSES, '61 * * * *'],
  at: [...TEXT_MISSES, '2026-02-30T00:00:00Z'],
  after: [...TEXT_MISSES, 'x.sh'],
  on_failure: TEXT_MISSES,
};

type Mutation =
  | { kind: 'replace'; at: number; value: Data; nearMiss: number | undefined }
  | { kind: 'add-key'; at: number; key: string; value: Data }
  | { kind: 'rename-key'; at: number; key: string };

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ kind: fc.constant('replace' as const), at: fc.nat(), value: anyValue, nearMiss: fc.option(fc.nat(), { nil: undefined }) }),
  fc.record({ kind: fc.constant('add-key' as const), at: fc.nat(), key: unknownKey, value: anyValue }),
  fc.record({ kind: fc.constant('rename-key' as const), at: fc.nat(), key: renamed }),
);

/** A valid pipeline with one to three mistakes: a value replaced by anything, a key added or renamed. */
export const mutatedPipeline: fc.Arbitrary<Data> = fc.tuple(validPipeline, fc.array(mutation, { minLength: 1, maxLength: 3 })).map(([data, mutations]) => {
  let out = data;
  for (const m of mutations) out = apply(out, m);
  return out;
});

function apply(data: Data, m: Mutation): Data {
  const copy = structuredClone(data);
  const slot = m.kind === 'replace' && m.nearMiss !== undefined ? nearMissSlot(copy, m.at) : pick(collect(copy), m.at);
  if (slot === undefined) return copy;
  if (m.kind === 'replace') {
    if (slot.parent === undefined) return m.value;
    const misses = NEAR_MISSES[String(slot.key)];
    const value = misses !== undefined && m.nearMiss !== undefined ? misses[m.nearMiss % misses.length] ?? null : m.value;
    setAt(slot.parent, slot.key, structuredClone(value));
    return copy;
  }
  if (m.kind === 'rename-key') {
    const parent = slot.parent;
    if (parent === undefined || Array.isArray(parent) || m.key in parent) return copy;
    parent[m.key] = parent[slot.key] ?? null;
    delete parent[slot.key];
    return copy;
  }
  const target = slot.parent === undefined ? copy : getAt(slot.parent, slot.key);
  if (target !== null && typeof target === 'object' && !Array.isArray(target)) target[m.key] = m.value;
  return copy;
}

function pick<T>(items: T[], at: number): T | undefined {
  return items.length === 0 ? undefined : items[at % items.length];
}

/** A slot whose key has near misses, each key equally likely, so rare keys (`enum`) get their share. */
function nearMissSlot(root: Data, at: number): Slot | undefined {
  const byKey = new Map<string, Slot[]>();
  for (const slot of collect(root)) {
    const key = String(slot.key);
    if (NEAR_MISSES[key] !== undefined) byKey.set(key, [...(byKey.get(key) ?? []), slot]);
  }
  const groups = [...byKey.values()];
  const group = pick(groups, at);
  return group === undefined ? pick(collect(root), at) : pick(group, Math.floor(at / groups.length));
}

interface Slot {
  parent: Data[] | { [key: string]: Data } | undefined;
  key: string | number;
}

/** Every place in the tree: the root, then each entry of each map and list. */
function collect(root: Data): Slot[] {
  const out: Slot[] = [{ parent: undefined, key: '' }];
  const walk = (node: Data): void => {
    if (Array.isArray(node)) {
      node.forEach((child, i) => {
        out.push({ parent: node, key: i });
        walk(child);
      });
    } else if (node !== null && typeof node === 'object') {
      for (const [key, child] of Object.entries(node)) {
        out.push({ parent: node, key });
        walk(child);
      }
    }
  };
  walk(root);
  return out;
}

function getAt(parent: Data[] | { [key: string]: Data }, key: string | number): Data | undefined {
  return Array.isArray(parent) ? parent[Number(key)] : parent[String(key)];
}

function setAt(parent: Data[] | { [key: string]: Data }, key: string | number, value: Data): void {
  if (Array.isArray(parent)) parent[Number(key)] = value;
  else parent[String(key)] = value;
}
