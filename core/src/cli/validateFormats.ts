import { createHash } from 'node:crypto';
import { isAbsolute, sep } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Diagnostic, Severity } from '../model/diagnostic.ts';

// The machine-readable outputs of `validate` for CI: GitHub Actions workflow commands (annotations on
// the diff), a GitLab Code Quality report and SARIF 2.1.0 (GitHub code scanning, Azure DevOps, IDEs).
// Each takes the reports `validate` computed; none reads a file.

export const VALIDATE_FORMATS = ['text', 'json', 'github', 'gitlab', 'sarif'] as const;
export type ValidateFormat = (typeof VALIDATE_FORMATS)[number];

export type PositionedDiagnostic = Diagnostic & { line: number; column: number; endLine: number; endColumn: number };

export interface FileReport {
  /** As given on the command line (or found under a folder given), relative or absolute. */
  file: string;
  diagnostics: PositionedDiagnostic[];
}

const GITHUB_COMMAND: Record<Severity, string> = { error: 'error', warning: 'warning', info: 'notice', hint: 'notice' };

/**
 * `::error file=…,line=…,col=…,endLine=…,endColumn=…,title=code::message`, one line per diagnostic.
 * Values are escaped as the Actions runner unescapes them, so a message with a newline, a comma or
 * `::` stays one annotation and cannot start a workflow command of its own.
 */
export function githubAnnotations(reports: readonly FileReport[]): string[] {
  const lines: string[] = [];
  for (const { file, diagnostics } of reports) {
    for (const d of diagnostics) {
      const properties = [
        `file=${escapeProperty(file.split(sep).join('/'))}`,
        `line=${d.line}`,
        `col=${d.column}`,
        `endLine=${d.endLine}`,
        `endColumn=${d.endColumn}`,
        `title=${escapeProperty(d.code)}`,
      ];
      lines.push(`::${GITHUB_COMMAND[d.severity]} ${properties.join(',')}::${escapeData(d.message)}`);
    }
  }
  return lines;
}

function escapeData(text: string): string {
  return text.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

function escapeProperty(text: string): string {
  return escapeData(text).replace(/:/g, '%3A').replace(/,/g, '%2C');
}

const GITLAB_SEVERITY: Record<Severity, string> = { error: 'major', warning: 'minor', info: 'info', hint: 'info' };

/** GitLab's Code Quality report: a JSON array of issues, each with a fingerprint unique in the report. */
export function gitlabCodeQuality(reports: readonly FileReport[]): object[] {
  const issues: object[] = [];
  const seen = new Map<string, number>();
  for (const { file, diagnostics } of reports) {
    const path = file.split(sep).join('/');
    for (const d of diagnostics) {
      // The same problem twice on one line (rare) must still give two fingerprints.
      const identity = `${path}\0${d.code}\0${d.line}\0${d.column}\0${d.message}`;
      const count = seen.get(identity) ?? 0;
      seen.set(identity, count + 1);
      issues.push({
        description: d.message,
        check_name: d.code,
        fingerprint: createHash('sha256').update(`${identity}\0${count}`).digest('hex'),
        severity: GITLAB_SEVERITY[d.severity],
        location: { path, positions: { begin: { line: d.line, column: d.column }, end: { line: d.endLine, column: d.endColumn } } },
      });
    }
  }
  return issues;
}

const SARIF_LEVEL: Record<Severity, string> = { error: 'error', warning: 'warning', info: 'note', hint: 'note' };

/** A SARIF 2.1.0 log of one run of the validator: a rule per diagnostic code that occurs. */
export function sarifLog(reports: readonly FileReport[], toolVersion: string): object {
  const rules: string[] = [];
  const results: object[] = [];
  for (const { file, diagnostics } of reports) {
    const artifactLocation = isAbsolute(file) ? { uri: pathToFileURL(file).href } : { uri: relativeUri(file), uriBaseId: '%SRCROOT%' };
    for (const d of diagnostics) {
      let ruleIndex = rules.indexOf(d.code);
      if (ruleIndex < 0) ruleIndex = rules.push(d.code) - 1;
      results.push({
        ruleId: d.code,
        ruleIndex,
        level: SARIF_LEVEL[d.severity],
        message: { text: d.message },
        locations: [{ physicalLocation: { artifactLocation, region: { startLine: d.line, startColumn: d.column, endLine: d.endLine, endColumn: d.endColumn } } }],
      });
    }
  }
  return {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'pipeline-studio',
            version: toolVersion,
            // Codes are explained in the format reference (docs/pipeline-format.md, "Diagnostics").
            rules: rules.map((id) => ({ id })),
          },
        },
        originalUriBaseIds: { '%SRCROOT%': { description: { text: 'The folder validate ran in.' } } },
        results,
      },
    ],
  };
}

/** A relative path as a URI reference: segments percent-encoded, `/` between them. */
function relativeUri(file: string): string {
  return file.split(sep).map((segment) => encodeURIComponent(segment)).join('/');
}
