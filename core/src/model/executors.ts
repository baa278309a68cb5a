import type { Span } from './diagnostic.ts';
import type { KeySpec } from './schema.ts';

/**
 * Where blocks run: named profiles under `executors:`, chosen by `executor:` at the top (the default)
 * or per block. `local` always exists; a profile may also be called `local` to give it keys.
 */
export type ExecutorType = 'local' | 'container' | 'slurm' | 'argo';
export const EXECUTOR_TYPES: readonly ExecutorType[] = ['local', 'container', 'slurm', 'argo'];
export const BUILTIN_EXECUTOR = 'local';
export const CONTAINER_ENGINES = ['auto', 'docker', 'podman'] as const;
export type ContainerEngineChoice = (typeof CONTAINER_ENGINES)[number];

export interface ExecutorProfile {
  name: string;
  nameSpan: Span;
  /** The workspace's .pipelines/executors.yaml when the profile comes from there (nameSpan is in that file). */
  source?: string;
  type: ExecutorType;
  /** container, argo. */
  image: string | undefined;
  /** container: which engine; `auto` takes docker, else podman, whichever is on PATH. */
  engine: ContainerEngineChoice;
  /** slurm. */
  partition: string | undefined;
  /** slurm: the job's time limit (the block's own timeout still applies). */
  timeMs: number | undefined;
  cpus: number | undefined;
  memoryMb: number | undefined;
  gres: string | undefined;
  /** slurm, container: extra arguments, each passed as one argv entry, never through a shell. */
  extra: string[];
  /** argo. */
  namespace: string | undefined;
  serviceAccount: string | undefined;
}

/** Portable requests each executor maps to its own flags. */
export interface Resources {
  cpus: number | undefined;
  memoryMb: number | undefined;
  gpus: number | undefined;
  span: Span;
}

const MEMORY_DOC = 'Memory: a number with a unit, `512M`, `16G`, `1.5T` (`K`, `M`, `G`, `T`; `Mi`/`Gi` and `MB`/`GB` read alike, powers of 1024).';

/** The keys of a profile, with the types they apply to (the validator refuses a key the profile's type does not take). */
export const EXECUTOR_KEYS: readonly (KeySpec & { types: readonly ExecutorType[] })[] = [
  { name: 'type', kind: 'string', doc: 'Where the blocks using this profile run: `local` (a process here), `container` (docker or podman), `slurm` (sbatch on a SLURM cluster) or `argo` (Argo Workflows on Kubernetes).', values: EXECUTOR_TYPES, types: EXECUTOR_TYPES },
  { name: 'image', kind: 'string', doc: 'The container image the block runs in (required for `container` and `argo`).', types: ['container', 'argo'] },
  { name: 'engine', kind: 'string', doc: '`auto` (default: docker when on PATH, else podman), `docker` or `podman`.', values: CONTAINER_ENGINES, types: ['container'] },
  { name: 'partition', kind: 'string', doc: 'The SLURM partition (`sbatch --partition`); the cluster\'s default when absent.', types: ['slurm'] },
  { name: 'time', kind: 'duration', doc: 'The job\'s time limit (`sbatch --time`); the block\'s `timeout` still applies. A duration: `90s`, `5m`, `2h`.', types: ['slurm'] },
  { name: 'cpus', kind: 'integer', doc: 'CPUs per job (`--cpus-per-task`), unless the block\'s `resources` asks otherwise.', types: ['slurm'] },
  { name: 'memory', kind: 'string', doc: `Memory per job (\`--mem\`), unless the block's \`resources\` asks otherwise. ${MEMORY_DOC}`, types: ['slurm'] },
  { name: 'gres', kind: 'string', doc: 'Generic resources (`--gres`), like `gpu:1`.', types: ['slurm'] },
  { name: 'extra', kind: 'list', doc: 'More arguments for `sbatch` or `docker run`/`podman run`, each passed as one argument, never through a shell: `["--account=ml"]`.', types: ['slurm', 'container'] },
  { name: 'namespace', kind: 'string', doc: 'The Kubernetes namespace the workflow is created in.', types: ['argo'] },
  { name: 'service_account', kind: 'string', doc: 'The Kubernetes service account the workflow\'s pods run as.', types: ['argo'] },
];

export const RESOURCE_KEYS: readonly KeySpec[] = [
  { name: 'cpus', kind: 'integer', doc: 'CPUs the block needs (a positive integer): `--cpus-per-task` on SLURM, `--cpus` in a container, a CPU request on Kubernetes.' },
  { name: 'memory', kind: 'string', doc: `Memory the block needs: \`--mem\` on SLURM, \`--memory\` in a container, a memory request and limit on Kubernetes. ${MEMORY_DOC}` },
  { name: 'gpus', kind: 'integer', doc: 'GPUs the block needs (0 or more): `--gres=gpu:N` on SLURM, `--gpus` in a container, `nvidia.com/gpu` on Kubernetes.' },
];

export function keysOfType(type: ExecutorType): string[] {
  return EXECUTOR_KEYS.filter((k) => k.types.includes(type)).map((k) => k.name);
}

/** Same text the JSON Schema's pattern states, so the two agree. */
export const MEMORY_PATTERN = /^\s*(\d+(?:\.\d+)?)\s*([KMGT])(?:i|B|iB)?\s*$/;
const UNIT_MB: Record<string, number> = { K: 1 / 1024, M: 1, G: 1024, T: 1024 * 1024 };

/** `16G` → 16384 (MB). Bare numbers are refused: `memory: 16` could mean bytes, MB or GB depending on the tool. */
export function parseMemory(value: unknown): { mb: number } | { error: string } {
  const text = typeof value === 'number' ? String(value) : typeof value === 'string' ? value : undefined;
  if (text === undefined) return { error: 'Memory is a number with a unit, like 512M or 16G.' };
  const m = MEMORY_PATTERN.exec(text);
  if (m === null) {
    const hint = /^\s*\d+(\.\d+)?\s*$/.test(text) ? ` Add a unit: '${text.trim()}M' or '${text.trim()}G'.` : '';
    return { error: `'${text}' is not an amount of memory; write it like 512M, 16G or 1.5T.${hint}` };
  }
  const mb = Math.ceil(Number(m[1]) * (UNIT_MB[m[2] ?? 'M'] ?? 1));
  if (mb <= 0) return { error: `Memory must be more than zero, not '${text}'.` };
  return { mb };
}

/** Whole megabytes, in the largest unit that keeps them whole: 16384 → `16G`. */
export function formatMemory(mb: number, style: 'slurm' | 'kubernetes' | 'docker'): string {
  const unit = mb % (1024 * 1024) === 0 ? 'T' : mb % 1024 === 0 ? 'G' : 'M';
  const n = unit === 'T' ? mb / (1024 * 1024) : unit === 'G' ? mb / 1024 : mb;
  if (style === 'kubernetes') return `${n}${unit}i`;
  if (style === 'docker') return `${n}${unit.toLowerCase()}`;
  return `${n}${unit}`;
}
