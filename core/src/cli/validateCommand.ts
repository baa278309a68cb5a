import { validateExecutorsFile, WORKSPACE_EXECUTORS_FILE } from '../parse/workspaceExecutors.ts';
import { resolve, sep } from 'node:path';
import { checkChainCycles } from '../validate/chainCycles.ts';
import { pipelineNextTo } from '../triggers/loadPipelines.ts';
import { LineIndex } from '../text/lineIndex.ts';
import { validatePipeline } from '../validate/validate.ts';
import manifest from '../../../package.json' with { type: 'json' };
import * as l10n from '@vscode/l10n';
import { findPipelineFiles, readPipelineFile, UsageError } from './files.ts';
import { githubAnnotations, gitlabCodeQuality, sarifLog, VALIDATE_FORMATS, type FileReport, type ValidateFormat } from './validateFormats.ts';

export interface CliIo {
  out: (line: string) => void;
  err: (line: string) => void;
}

const USAGE = `Usage: pipeline-studio validate <files or folders…> [--format ${VALIDATE_FORMATS.join('|')}]`;

/**
 * `validate`: compiler-style lines (`path:line:col: severity code: message`), JSON, or a CI format
 * (GitHub annotations, GitLab Code Quality, SARIF); exit 1 on any error.
 */
export function validateCommand(args: string[], io: CliIo): number {
  let format: ValidateFormat = 'text';
  const paths: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] ?? '';
    if (arg === '--format' || arg.startsWith('--format=')) {
      const value = arg.includes('=') ? arg.slice(arg.indexOf('=') + 1) : (args[++i] ?? '');
      const known = VALIDATE_FORMATS.find((f) => f === value);
      if (known === undefined) throw new UsageError(`--format must be one of ${VALIDATE_FORMATS.join(', ')}, not '${value}'.\n${USAGE}`);
      format = known;
    } else if (arg === '--help' || arg === '-h') {
      io.out(USAGE);
      return 0;
    } else if (arg.startsWith('-')) {
      throw new UsageError(`Unknown option ${arg}.\n${USAGE}`);
    } else {
      paths.push(arg);
    }
  }
  if (paths.length === 0) throw new UsageError(`${l10n.t('Nothing to validate.')}\n${USAGE}`);
  const files = findPipelineFiles(paths);
  const reports: FileReport[] = [];
  const checked: { file: string; text: string; result: ReturnType<typeof validatePipeline> }[] = [];
  for (const file of files) {
    let text: string;
    try {
      text = readPipelineFile(file);
    } catch (error) {
      throw new UsageError(`Cannot read ${file}: ${error instanceof Error ? error.message : String(error)}`);
    }
    // A workspace's .pipelines/executors.yaml is checked as what it is: profiles only.
    const result = resolve(file).endsWith(`${sep}${WORKSPACE_EXECUTORS_FILE}`)
      ? { ...validatePipeline('', { workspaceExecutors: false }), diagnostics: validateExecutorsFile(text, resolve(file)).diagnostics }
      : validatePipeline(text, { fileName: file, pipelineExists: pipelineNextTo(file) });
    checked.push({ file, text, result });
  }
  // Chaining cycles span files: only the files checked together can show one.
  const cycles = checkChainCycles(checked.map((c) => ({ file: c.file, pipeline: c.result.pipeline })));
  for (const { file, text, result } of checked) {
    const lines = new LineIndex(text);
    const diagnostics = [...result.diagnostics, ...(cycles.get(resolve(file)) ?? [])].sort((a, b) => a.span.start - b.span.start);
    reports.push({
      file,
      diagnostics: diagnostics.map((d) => {
        const start = lines.positionAt(d.span.start);
        const end = lines.positionAt(d.span.end);
        return { ...d, line: start.line + 1, column: start.character + 1, endLine: end.line + 1, endColumn: end.character + 1 };
      }),
    });
  }
  const counts = { error: 0, warning: 0, info: 0, hint: 0 };
  for (const r of reports) for (const d of r.diagnostics) counts[d.severity]++;
  if (format === 'json') {
    io.out(JSON.stringify({ files: reports.map((r) => ({ file: r.file, diagnostics: r.diagnostics.map(toJson) })), counts }, null, 2));
  } else if (format === 'gitlab') {
    io.out(JSON.stringify(gitlabCodeQuality(reports), null, 2));
  } else if (format === 'sarif') {
    io.out(JSON.stringify(sarifLog(reports, manifest.version), null, 2));
  } else {
    if (format === 'github') for (const line of githubAnnotations(reports)) io.out(line);
    // The annotations replace the compiler-style lines; the summary is printed in both.
    for (const r of format === 'text' ? reports : []) {
      for (const d of r.diagnostics) io.out(`${r.file}:${d.line}:${d.column}: ${d.severity} ${d.code}: ${d.message}`);
    }
    // Localised (the diagnostic lines above stay as the problem matcher reads them: severities in English).
    const checked = files.length === 1 ? l10n.t('1 pipeline file checked') : l10n.t('{0} pipeline files checked', files.length);
    const hints = counts.hint + counts.info > 0 ? l10n.t(', {0} hint(s)', counts.hint + counts.info) : '';
    io.out(l10n.t('{0}: {1} error(s), {2} warning(s){3}.', checked, counts.error, counts.warning, hints));
  }
  return counts.error > 0 ? 1 : 0;
}

function toJson(d: FileReport['diagnostics'][number]): object {
  return {
    code: d.code, severity: d.severity, message: d.message, line: d.line, column: d.column, endLine: d.endLine, endColumn: d.endColumn,
    ...(d.suggestion === undefined ? {} : { suggestion: d.suggestion }),
  };
}
