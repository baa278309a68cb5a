import type { Span } from './diagnostic.ts';
import type { ScalarValue, YMap, YNode, YPair } from '../yaml/ast.ts';
import type { ExecutorProfile, Resources } from './executors.ts';
import type { CatchUp, OverlapPolicy, TriggerDef } from './triggers.ts';

/** A string value from the file, with where it sits so expressions inside can be located. */
export interface TextValue {
  value: string;
  span: Span;
  /** Offset in the file text where the scalar's raw source starts (expressions are found in it). */
  sourceStart: number;
  /** The raw source text of the scalar (quotes, block header and indentation included). */
  source: string;
}

export interface Named {
  name: string;
  span: Span;
}

export type VariableType = 'string' | 'number' | 'boolean';
export const VARIABLE_TYPES: readonly VariableType[] = ['string', 'number', 'boolean'];

export interface VariableDef {
  name: string;
  keySpan: Span;
  span: Span;
  default: ScalarValue;
  type: VariableType | undefined;
  description: string | undefined;
  enum: ScalarValue[] | undefined;
}

export type ShellName = 'bash' | 'sh' | 'zsh' | 'pwsh' | 'python' | 'node';
export const SHELLS: readonly ShellName[] = ['bash', 'sh', 'zsh', 'pwsh', 'python', 'node'];

export interface RetryPolicy {
  /** Total tries, at least 1. */
  attempts: number;
  delayMs: number;
  backoff: number;
  maxDelayMs: number | undefined;
  span: Span;
}

export interface EnvEntry {
  name: string;
  keySpan: Span;
  value: TextValue;
}

export interface CacheSpec {
  inputs: TextValue[];
  outputs: TextValue[];
  span: Span;
}

/** `approval:`: the block waits for someone to approve or reject it before it runs. */
export interface ApprovalSpec {
  /** Shown to whoever decides; `${{ }}` values are substituted as text. */
  prompt: TextValue | undefined;
  timeoutMs: number | undefined;
  /** What a timeout decides. */
  onTimeout: 'approved' | 'rejected';
  span: Span;
}

/**
 * `foreach:`: the block runs once per item (see core/src/runner/fanOut.ts). The items are the lines
 * (or JSON list) an expression yields, a literal list, or the files a glob matches at run time.
 */
export type ForEachSpec =
  | { kind: 'expression'; value: TextValue; span: Span }
  | { kind: 'list'; items: TextValue[]; span: Span }
  | { kind: 'glob'; pattern: TextValue; span: Span };

export interface Block {
  id: string;
  idSpan: Span;
  /** The whole `id: {...}` entry. */
  span: Span;
  /** Every key written in the block (first occurrence), for hover and completion. */
  keys: Map<string, YPair>;
  run: TextValue | undefined;
  description: string | undefined;
  dependsOn: Named[];
  shell: ShellName | undefined;
  cwd: TextValue | undefined;
  env: EnvEntry[];
  retry: RetryPolicy | undefined;
  timeoutMs: number | undefined;
  /** The condition; `if: x` and `if: ${{ x }}` both land here. */
  condition: TextValue | undefined;
  continueOnError: boolean;
  disabled: boolean;
  /** Undefined when the block declares no outputs (then any name may be referenced). */
  outputs: Named[] | undefined;
  cache: CacheSpec | undefined;
  /** The profile named by the block's `executor:`; undefined means the pipeline's default. */
  executor: Named | undefined;
  resources: Resources | undefined;
  approval: ApprovalSpec | undefined;
  /** `group:`: the group the graph collapses this block into (instead of grouping by id prefix). */
  group?: Named;
  /** `pipeline:` and `with:`: the block runs another pipeline file as a child run (instead of `run`). */
  subPipeline?: SubPipelineSpec | undefined;
  foreach: ForEachSpec | undefined;
  /** With `foreach`: how many items may run at once (the run's `concurrency` still applies). */
  maxParallel: number | undefined;
}

export interface SubPipelineSpec {
  /** As written, relative to this pipeline's folder. */
  file: TextValue;
  /** The child's variables; `${{ }}` values substituted as data. */
  with: EnvEntry[];
}

/** `profiles:` entry: variable and env overrides a run can apply by name. */
export interface ProfileDef {
  name: string;
  keySpan: Span;
  variables: EnvEntry[];
  env: EnvEntry[];
}

export interface Defaults {
  shell: ShellName | undefined;
  cwd: TextValue | undefined;
  timeoutMs: number | undefined;
  retry: RetryPolicy | undefined;
  env: EnvEntry[];
}

export interface Pipeline {
  /** `name`, or the file name without `.pipeline.yaml`. */
  name: string;
  nameSpan: Span | undefined;
  description: string | undefined;
  variables: Map<string, VariableDef>;
  env: EnvEntry[];
  defaults: Defaults;
  concurrency: number | undefined;
  timeoutMs: number | undefined;
  schedule: TextValue | undefined;
  /** `triggers:` in file order, preceded by `schedule:` as a cron trigger named `schedule`; only valid ones. */
  triggers: TriggerDef[];
  overlap: OverlapPolicy;
  catchUp: CatchUp;
  /** Command run (as data) when a triggered run fails or misses its SLA. */
  onFailure: TextValue | undefined;
  /** `executors:` profiles by name, only valid ones. */
  executors: Map<string, ExecutorProfile>;
  /** The top-level `executor:`; undefined means `local`. */
  executor: Named | undefined;
  /** In file order. */
  blocks: Block[];
  blockById: Map<string, Block>;
  /** `profiles:` by name (see ProfileDef). */
  profiles?: Map<string, ProfileDef>;
  /** The YAML tree, for editor features that need keys the model does not keep. */
  root: YMap | undefined;
  rootNode: YNode | undefined;
}
