import { writeFileSync } from 'node:fs';
import { stringify } from 'yaml';
import { compileArgo } from '../executors/argo/compile.ts';
import { LineIndex } from '../text/lineIndex.ts';
import { validatePipeline } from '../validate/validate.ts';
import { readPipelineFile, UsageError } from './files.ts';
import type { CliIo } from './validateCommand.ts';

const USAGE = 'Usage: pipeline-studio export FILE --to argo [--executor NAME] [--template] [--out FILE]';

/**
 * `export FILE --to argo`: the pipeline compiled to an Argo Workflow (or WorkflowTemplate), as
 * YAML on stdout or in --out. Exit 1 when the pipeline has errors or asks for something Argo cannot
 * do (each reported as `file:line:col: error: message`), 2 on wrong usage.
 */
export function runExportTo(args: string[], io: CliIo): number {
  let file: string | undefined;
  let target: string | undefined;
  let executor: string | undefined;
  let out: string | undefined;
  let template = false;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] ?? '';
    const value = (): string => {
      const v = arg.includes('=') ? arg.slice(arg.indexOf('=') + 1) : args[++i];
      if (v === undefined || v === '') throw new UsageError(`${arg.split('=')[0] ?? arg} needs a value.\n${USAGE}`);
      return v;
    };
    if (arg === '--help' || arg === '-h') {
      io.out(USAGE);
      return 0;
    } else if (arg === '--to' || arg.startsWith('--to=')) target = value();
    else if (arg === '--executor' || arg.startsWith('--executor=')) executor = value();
    else if (arg === '--out' || arg.startsWith('--out=')) out = value();
    else if (arg === '--template') template = true;
    else if (arg.startsWith('-')) throw new UsageError(`Unknown option ${arg}.\n${USAGE}`);
    else if (file === undefined) file = arg;
    else throw new UsageError(`One pipeline file at a time (got ${file} and ${arg}).\n${USAGE}`);
  }
  if (file === undefined) throw new UsageError(`Which pipeline?\n${USAGE}`);
  if (target !== 'argo') throw new UsageError(`${target === undefined ? '--to is required' : `Cannot export to '${target}'`}; the one target is argo.\n${USAGE}`);
  let text: string;
  try {
    text = readPipelineFile(file);
  } catch (error) {
    throw new UsageError(`Cannot read ${file}: ${error instanceof Error ? error.message : String(error)}`);
  }
  const lines = new LineIndex(text);
  const where = (offset: number): string => {
    const p = lines.positionAt(offset);
    return `${file}:${p.line + 1}:${p.character + 1}`;
  };
  const result = validatePipeline(text, { fileName: file });
  const errors = result.diagnostics.filter((d) => d.severity === 'error');
  if (errors.length > 0) {
    for (const d of errors) io.err(`${where(d.span.start)}: error ${d.code}: ${d.message}`);
    io.err(`${file}: not exported: fix the errors above first.`);
    return 1;
  }
  const compiled = compileArgo(result.pipeline, { ...(executor === undefined ? {} : { executor }), template });
  for (const p of compiled.problems) io.err(`${where(p.span.start)}: ${p.severity}: ${p.message}`);
  if (compiled.manifest === undefined) {
    io.err(`${file}: not exported.`);
    return 1;
  }
  const yaml = stringify(compiled.manifest, { lineWidth: 0 });
  if (out === undefined) io.out(yaml.replace(/\n$/, ''));
  else writeFileSync(out, yaml);
  return 0;
}
