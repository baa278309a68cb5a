import { BUILTIN_EXECUTOR, type ExecutorProfile } from '../model/executors.ts';
import type { Block, Pipeline } from '../model/pipeline.ts';
import type { AttemptResources, Executor, ExecutorChooser } from '../runner/executor.ts';
import { containerExecutor, type ContainerExecutorOptions } from './container/executor.ts';
import { slurmExecutor, type SlurmExecutorOptions } from './slurm/executor.ts';
import { LOCAL_EXECUTOR } from '../runner/localExecutor.ts';

export { compileArgo, type ArgoCompiled, type ArgoCompileOptions, type Manifest } from './argo/compile.ts';
export { followArgo, submitArgo, type ArgoRunHandle } from './argo/submit.ts';
export { containerExecutor, removeLeftoverContainers } from './container/executor.ts';
export { slurmExecutor } from './slurm/executor.ts';
export { attachSlurmJob, reconcileSlurmJobs, type ReconciledJob } from './slurm/reconcile.ts';

export interface ExecutorFactoryOptions {
  slurm?: SlurmExecutorOptions;
  container?: ContainerExecutorOptions;
}

/**
 * The executor of a profile: undefined for the built-in `local` (the engine's own), and for `argo`, which runs a
 * whole run as one Workflow (compileArgo + submitArgo) rather than attempt by attempt.
 */
export function executorForProfile(profile: ExecutorProfile, options: ExecutorFactoryOptions = {}): Executor | undefined {
  switch (profile.type) {
    case 'slurm':
      return slurmExecutor(profile, options.slurm);
    case 'container':
      return containerExecutor(profile, options.container);
    case 'local':
      // The engine's own, under the profile's name, so the store records which profile ran it.
      return profile.name === BUILTIN_EXECUTOR ? undefined : { ...LOCAL_EXECUTOR, name: profile.name };
    case 'argo':
      return undefined;
  }
}

/**
 * The engine's ExecutorChooser for a pipeline: each block's `executor:`, else `override` (`run
 * --executor NAME`), else the pipeline's `executor:`; undefined means the run's default (local).
 * One executor per profile, shared by the blocks that name it, so a run's SLURM jobs share one poll.
 */
export function executorChooser(pipeline: Pipeline, override?: string, options: ExecutorFactoryOptions = {}): ExecutorChooser {
  const built = new Map<string, Executor | undefined>();
  const of = (name: string | undefined): Executor | undefined => {
    if (name === undefined || (name === BUILTIN_EXECUTOR && !pipeline.executors.has(name))) return undefined;
    if (!built.has(name)) {
      const profile = pipeline.executors.get(name);
      built.set(name, profile === undefined ? undefined : executorForProfile(profile, options));
    }
    return built.get(name);
  };
  return (block: Block) => of(block.executor?.name ?? override ?? pipeline.executor?.name);
}

/** A block's `resources` as the attempt's (AttemptOptions.resources). */
export function attemptResources(block: Block): AttemptResources | undefined {
  const r = block.resources;
  if (r === undefined) return undefined;
  const out: AttemptResources = {};
  if (r.cpus !== undefined) out.cpus = r.cpus;
  if (r.memoryMb !== undefined) out.memoryMb = r.memoryMb;
  if (r.gpus !== undefined) out.gpus = r.gpus;
  return out;
}

/**
 * Blocks whose executor is an Argo profile. Argo runs a whole pipeline as one Workflow
 * (`export FILE --to argo`), not attempt by attempt, so a local run refuses them rather than
 * quietly running them on this machine.
 */
export function argoBlocks(pipeline: Pipeline, override?: string): string[] {
  return pipeline.blocks
    .filter((block) => pipeline.executors.get(block.executor?.name ?? override ?? pipeline.executor?.name ?? '')?.type === 'argo')
    .map((block) => block.id);
}

/** `local` or one of the pipeline's profiles (its own `executors:` and the workspace's). */
export function knownExecutor(pipeline: Pipeline, name: string): boolean {
  return name === BUILTIN_EXECUTOR || pipeline.executors.has(name);
}

export function unknownExecutorMessage(pipeline: Pipeline, name: string): string {
  const names = [BUILTIN_EXECUTOR, ...[...pipeline.executors.keys()].filter((n) => n !== BUILTIN_EXECUTOR)];
  return `unknown executor '${name}': this pipeline has ${names.map((n) => `'${n}'`).join(', ')}`;
}
