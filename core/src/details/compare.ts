import { validatePipeline } from '../validate/validate.ts';
import type { RunDetails } from './model.ts';

export interface Delta {
  /** Against the first run. */
  delta: number | null;
  percent: number | null;
}

/** Two to five runs side by side; deltas are against the first (the baseline). */
export interface RunComparison {
  runs: { id: number; pipelineName: string; status: string; trigger: string; startedAt: number | undefined; durationMs: number | undefined; commit: string | undefined; branch: string | undefined; dirty: boolean | undefined }[];
  variables: { name: string; values: (string | number | boolean | null)[]; differs: boolean }[];
  outputs: { block: string; name: string; values: (string | null)[]; deltas: Delta[]; differs: boolean }[];
  blocks: { block: string; statuses: (string | null)[]; durationsMs: (number | null)[]; deltas: Delta[]; differs: boolean }[];
  artifacts: { block: string; direction: string; path: string; hashes: (string | null)[] }[];
  git: { commits: (string | null)[]; differs: boolean };
  /** Block ids added, removed or changed in each run's definition against the first's. */
  definition: { added: string[]; removed: string[]; changed: string[] }[];
}

export function compareRuns(models: readonly RunDetails[]): RunComparison {
  if (models.length < 2 || models.length > 5) throw new Error(`compare takes 2 to 5 runs, not ${models.length}`);
  const runs = models.map((m) => ({
    id: m.run.id, pipelineName: m.run.pipelineName, status: m.run.status, trigger: m.run.trigger, startedAt: m.run.startedAt,
    durationMs: m.run.startedAt !== undefined && m.run.finishedAt !== undefined ? m.run.finishedAt - m.run.startedAt : undefined,
    commit: m.run.git?.commit, branch: m.run.git?.branch, dirty: m.run.git?.dirty,
  }));
  const variables = union(models.map((m) => Object.keys(m.run.variables))).map((name) => {
    const values = models.map((m) => m.run.variables[name] ?? null);
    return { name, values, differs: !allSame(values) };
  });
  const outputKeys = union(models.map((m) => m.blocks.flatMap((b) => Object.keys(b.outputs).map((k) => `${b.block}\0${k}`))));
  const outputs = outputKeys.map((key) => {
    const [block = '', name = ''] = key.split('\0');
    const values = models.map((m) => m.blocks.find((b) => b.block === block)?.outputs[name] ?? null);
    return { block, name, values, deltas: deltas(values.map((v) => (v === null || v.trim() === '' || !Number.isFinite(Number(v)) ? undefined : Number(v)))), differs: !allSame(values) };
  });
  const blocks = union(models.map((m) => m.blocks.map((b) => b.block))).map((block) => {
    const rows = models.map((m) => m.blocks.find((b) => b.block === block));
    const durationsMs = rows.map((b) => b?.durationMs ?? null);
    const statuses = rows.map((b) => b?.status ?? null);
    return { block, statuses, durationsMs, deltas: deltas(durationsMs.map((d) => d ?? undefined)), differs: !allSame(statuses) };
  });
  const artifactKeys = union(models.map((m) => m.artifacts.map((a) => `${a.block}\0${a.direction}\0${a.path}`)));
  const artifacts = artifactKeys.map((key) => {
    const [block = '', direction = '', path = ''] = key.split('\0');
    const hashes = models.map((m) => {
      const record = m.artifacts.find((a) => a.block === block && a.direction === direction && a.path === path);
      return record === undefined ? null : (record.sha256 ?? `size ${String(record.size)}`);
    });
    return { block, direction, path, hashes };
  }).filter((a) => !allSame(a.hashes));
  const commits = models.map((m) => m.run.git?.commit ?? null);
  const base = blockTexts(models[0]?.detail?.definition, models[0]?.run.pipelineFile ?? '');
  const definition = models.map((m) => {
    const texts = blockTexts(m.detail?.definition, m.run.pipelineFile);
    if (base === undefined || texts === undefined) return { added: [], removed: [], changed: [] };
    return {
      added: [...texts.keys()].filter((id) => !base.has(id)),
      removed: [...base.keys()].filter((id) => !texts.has(id)),
      changed: [...texts.keys()].filter((id) => base.has(id) && base.get(id) !== texts.get(id)),
    };
  });
  return { runs, variables, outputs, blocks, artifacts, git: { commits, differs: !allSame(commits) }, definition };
}

function deltas(values: readonly (number | undefined)[]): Delta[] {
  const base = values[0];
  return values.map((v) => {
    if (v === undefined || base === undefined) return { delta: null, percent: null };
    // 12 significant digits: 0.81 - 0.8 is 0.01, not 0.010000000000000009.
    return { delta: Number((v - base).toPrecision(12)), percent: base === 0 ? null : Math.round(((v - base) / base) * 1000) / 10 };
  });
}

/** Each block's own text in the definition (indentation-normalised), to tell which changed. */
function blockTexts(definition: string | undefined, file: string): Map<string, string> | undefined {
  if (definition === undefined) return undefined;
  const { pipeline } = validatePipeline(definition, { fileName: file });
  return new Map(pipeline.blocks.map((b) => [b.id, definition.slice(b.span.start, b.span.end).replace(/[ \t]+$/gm, '').trim()]));
}

function union(lists: readonly string[][]): string[] {
  const seen = new Set<string>();
  for (const list of lists) for (const item of list) seen.add(item);
  return [...seen];
}

function allSame(values: readonly unknown[]): boolean {
  return values.every((v) => JSON.stringify(v) === JSON.stringify(values[0]));
}
