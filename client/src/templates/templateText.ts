// Pure helpers of "New Pipeline…" and "Save as Template" (no vscode import, so tests run them directly).

/** A pipeline file name from what the user typed: `.pipeline.yaml` added when missing; undefined when unusable. */
export function pipelineFileName(typed: string): string | undefined {
  const name = typed.trim();
  if (name === '' || /[\\/:*?"<>|]/.test(name) || name.startsWith('.')) return undefined;
  return /\.pipeline\.ya?ml$/.test(name) ? name : `${name.replace(/\.ya?ml$/, '')}.pipeline.yaml`;
}

/** The stem of a pipeline file name (`etl.pipeline.yaml` → `etl`). */
export function pipelineStem(fileName: string): string {
  return fileName.replace(/\.pipeline\.ya?ml$/, '');
}

/** A template's text for a new file: its top-level `name:` becomes the new pipeline's. Everything else is kept as written. */
export function instantiate(template: string, name: string): string {
  const safe = /^[A-Za-z0-9_.-]+$/.test(name) ? name : JSON.stringify(name);
  return /^name:.*$/m.test(template) ? template.replace(/^name:.*$/m, `name: ${safe}`) : `name: ${safe}\n${template}`;
}

/** What the template picker shows: the `description:` line, else the first comment line. */
export function describeTemplate(text: string): string {
  const description = /^description:\s*(.+)$/m.exec(text)?.[1]?.trim();
  if (description !== undefined) return description.replace(/^(['"])(.*)\1$/, '$2');
  return /^#\s*(.+)$/m.exec(text)?.[1]?.trim() ?? '';
}

/** A template name typed by the user, as a file stem; undefined when unusable. */
export function templateStem(typed: string): string | undefined {
  const stem = pipelineStem(typed.trim()).replace(/\s+/g, '-');
  return /^[A-Za-z0-9][A-Za-z0-9_.-]*$/.test(stem) ? stem : undefined;
}
