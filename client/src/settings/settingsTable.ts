// Every setting of the extension, once. package.json's `contributes.configuration` (and its
// Restricted Mode list) and the README's settings table are generated from this table by
// scripts/settings.ts (`npm run settings`); test/settings/settingsTable.test.ts fails when they
// drift from it. The client reads settings only through the typed accessors of ./settings.ts.
// VS-Code-free, so that the script and the tests can import it.

/** Where a setting may be set: see VS Code's `contributes.configuration` scopes. */
export type SettingScope = 'application' | 'machine' | 'machine-overridable' | 'window' | 'resource' | 'language-overridable';

interface SettingCommon {
  scope: SettingScope;
  /** Markdown, shown in the Settings editor and the README. */
  description: string;
  /** Ignored in Restricted Mode (listed in `capabilities.untrustedWorkspaces.restrictedConfigurations`). */
  restricted: boolean;
}

export type SettingSpec = SettingCommon &
  (
    | { type: 'boolean'; default: boolean }
    | { type: 'string'; default: string; enum?: readonly string[]; enumDescriptions?: readonly string[] }
    | { type: 'integer' | 'number'; default: number; minimum?: number; maximum?: number }
    /** A number that may be left empty (`null`): "not set, use what the pipeline says". */
    | { type: 'integer?' | 'number?'; default: number | null; minimum?: number; maximum?: number }
  );

export const SETTINGS_SECTION = 'pipelineStudio';

/** Keys are relative to `pipelineStudio.`; the order is the order of package.json and the README. */
export const SETTINGS = {
  'validate.enable': {
    type: 'boolean',
    default: true,
    scope: 'resource',
    restricted: false,
    description: 'Show the problems the language server finds in pipeline files. When off, the problems (and the quick fixes that repair them) are hidden; completion, hover and navigation keep working.',
  },
  'trace.server': {
    type: 'string',
    enum: ['off', 'messages', 'verbose'],
    enumDescriptions: ['Do not trace.', 'Trace the name of each request, response and notification.', 'Trace each message with its parameters and result.'],
    default: 'off',
    scope: 'window',
    restricted: false,
    description: 'Trace the communication between VS Code and the Pipeline Studio language server to the **Pipeline Studio Language Server Trace** output channel, for diagnosing the server.',
  },
  'store.path': {
    type: 'string',
    default: '',
    scope: 'resource',
    restricted: true,
    description: 'Where runs are recorded (a SQLite file), relative to the workspace folder; `~` is your home folder. Empty: `<workspace folder>/.pipelines/runs.sqlite`, the file the `pipeline-studio` CLI uses when run from that folder.',
  },
  'run.concurrency': {
    type: 'integer?',
    default: null,
    minimum: 1,
    scope: 'resource',
    restricted: false,
    description: "How many blocks may run at once, overriding each pipeline's `concurrency`. Empty (`null`): the pipeline's own, else the number of CPUs.",
  },
  'run.terminals': {
    type: 'string',
    enum: ['reuse', 'keep'],
    enumDescriptions: ['A new run of a pipeline replaces the terminals of its finished runs.', "Keep every run's terminal until you close it."],
    default: 'reuse',
    scope: 'resource',
    restricted: false,
    description: 'What happens to the terminal of a finished run ("▶ etl #42") when the pipeline runs again.',
  },
  'run.logCapMegabytes': {
    type: 'number',
    default: 10,
    minimum: 0.01,
    scope: 'resource',
    restricted: false,
    description: 'The most output stored per block run, in MB; beyond it the first and last halves are kept and the amount dropped is recorded. Takes effect for a run store the next time the editor starts using it.',
  },
  'run.confirmAboveBlocks': {
    type: 'integer',
    default: 100,
    minimum: 0,
    scope: 'resource',
    restricted: false,
    description: 'Ask before running a whole pipeline of more blocks than this; `0` never asks.',
  },
  'triggers.enabled': {
    type: 'string',
    enum: ['ask', 'on', 'off'],
    enumDescriptions: [
      'Ask "Enable triggers for this workspace?" the first time a pipeline file with triggers is opened; the answer is kept for the workspace.',
      'Run triggers in every trusted workspace.',
      'Never run triggers from the editor (a headless `pipeline-studio schedule` still can).',
    ],
    default: 'ask',
    scope: 'window',
    restricted: false,
    description: "Whether pipelines' `triggers:` (and `schedule:`) fire while this workspace is open. Triggers never run in Restricted Mode. One scheduler per run store fires, however many windows and headless schedulers share it.",
  },
  'triggers.longRunningAlert': {
    type: 'boolean',
    default: true,
    scope: 'window',
    restricted: false,
    description: "Alert when a triggered run takes more than 3× the median duration of its pipeline's last 20 completed runs.",
  },
  'details.hashLimit': {
    type: 'number',
    default: 1024,
    minimum: 0,
    scope: 'resource',
    restricted: false,
    description: "Files larger than this many MiB are not read to hash them: a run's details record them with size and modification time only, and the cache compares them by size and modification time. The CLI's `run --hash-limit` (or `PIPELINE_STUDIO_HASH_LIMIT`) says the same.",
  },
  'executors.containerEngine': {
    type: 'string',
    enum: ['auto', 'docker', 'podman'],
    enumDescriptions: ['docker when it is on PATH, else podman.', 'Always docker.', 'Always podman.'],
    default: 'auto',
    scope: 'machine-overridable',
    restricted: false,
    description: "Which container engine runs the blocks of `type: container` executor profiles whose `engine` is `auto` (a profile's own `docker` or `podman` wins). The CLI's `--container-engine` and the `PIPELINE_STUDIO_CONTAINER_ENGINE` environment variable do the same.",
  },
} as const satisfies Record<string, SettingSpec>;

export type SettingKey = keyof typeof SETTINGS;

/** The value type a setting's accessor returns, derived from its row. */
export type SettingValue<K extends SettingKey> = ValueOf<(typeof SETTINGS)[K]>;

type ValueOf<S> = S extends { enum: readonly (infer E)[] }
  ? E
  : S extends { type: 'boolean' }
    ? boolean
    : S extends { type: 'string' }
      ? string
      : S extends { type: 'integer?' | 'number?' }
        ? number | null
        : number;

/** Every row, with its full key, in table order. */
export function settingRows(): { key: string; name: SettingKey; spec: SettingSpec }[] {
  return (Object.entries(SETTINGS) as [SettingKey, SettingSpec][]).map(([name, spec]) => ({ key: `${SETTINGS_SECTION}.${name}`, name, spec }));
}

/**
 * A value as read from the user's settings, checked against its row: a value of the wrong type,
 * outside the enum or below the minimum (settings.json is hand-edited; VS Code only warns) is the default.
 */
export function coerceSetting<K extends SettingKey>(name: K, value: unknown): SettingValue<K> {
  const spec: SettingSpec = SETTINGS[name];
  const fallback = spec.default as SettingValue<K>;
  switch (spec.type) {
    case 'boolean':
      return (typeof value === 'boolean' ? value : fallback) as SettingValue<K>;
    case 'string':
      if (typeof value !== 'string') return fallback;
      return (spec.enum === undefined || spec.enum.includes(value) ? value : fallback) as SettingValue<K>;
    case 'integer?':
    case 'number?':
      if (value === null) return null as SettingValue<K>;
      return numberOf(spec, value, fallback);
    case 'integer':
    case 'number':
      return numberOf(spec, value, fallback);
  }
}

function numberOf<T>(spec: { type: string; minimum?: number; maximum?: number }, value: unknown, fallback: T): T {
  if (typeof value !== 'number' || !Number.isFinite(value)) return fallback;
  if (spec.type.startsWith('integer') && !Number.isInteger(value)) return fallback;
  if (spec.minimum !== undefined && value < spec.minimum) return fallback;
  if (spec.maximum !== undefined && value > spec.maximum) return fallback;
  return value as T;
}
