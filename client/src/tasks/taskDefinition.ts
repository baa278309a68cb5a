// The `pipeline` task type, as written in tasks.json or offered in Run Task. VS-Code-free: what a
// definition says is checked here, with a message for people, before anything runs.

export const TASK_TYPE = 'pipeline';
export const TASK_ACTIONS = ['run', 'dryRun', 'validate'] as const;
export type TaskAction = (typeof TASK_ACTIONS)[number];

export interface PipelineTask {
  /** The pipeline file, relative to the workspace folder of the task (or absolute). */
  file: string;
  action: TaskAction;
  variables: Record<string, string | number | boolean>;
  /** At most one of these: run only this block, everything up to it, or everything from it. */
  block?: { mode: 'only' | 'upto' | 'from'; id: string };
}

/** A task definition from tasks.json (any JSON) read as a pipeline task, or the reason it is not one. */
export function parseTaskDefinition(definition: Record<string, unknown>): PipelineTask | { error: string } {
  const { file, action = 'run', variables = {} } = definition;
  if (typeof file !== 'string' || file.trim() === '') return { error: 'a "pipeline" task needs "file": the pipeline file to run, relative to the workspace folder' };
  const known = TASK_ACTIONS.find((a) => a === action);
  if (known === undefined) return { error: `"action" must be one of ${TASK_ACTIONS.join(', ')}, not ${JSON.stringify(action)}` };
  if (typeof variables !== 'object' || variables === null || Array.isArray(variables)) return { error: '"variables" must be an object of names to values' };
  const values: Record<string, string | number | boolean> = {};
  for (const [name, value] of Object.entries(variables)) {
    if (typeof value !== 'string' && typeof value !== 'number' && typeof value !== 'boolean') return { error: `variable "${name}" must be a string, a number or a boolean` };
    values[name] = value;
  }
  const modes = (['only', 'upto', 'from'] as const).filter((mode) => definition[mode] !== undefined);
  if (modes.length > 1) return { error: `use one of "only", "upto" and "from", not ${modes.map((m) => `"${m}"`).join(' and ')}` };
  const task: PipelineTask = { file, action: known, variables: values };
  const mode = modes[0];
  if (mode !== undefined) {
    const id = definition[mode];
    if (typeof id !== 'string' || id === '') return { error: `"${mode}" must name a block` };
    if (known !== 'run') return { error: `"${mode}" applies to "action": "run" only` };
    task.block = { mode, id };
  }
  return task;
}

/** The name a task is listed under in Run Task. */
export function taskName(task: PipelineTask): string {
  const what = task.action === 'dryRun' ? 'dry run' : task.action;
  return task.block === undefined ? `${what} ${task.file}` : `${what} ${task.file} (${task.block.mode} ${task.block.id})`;
}
