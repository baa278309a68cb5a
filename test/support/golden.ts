import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { LineIndex, validatePipeline } from '../../core/src/index.ts';
import { withoutByteOrderMark } from '../../core/src/text/byteOrderMark.ts';

/** Separates a fixture's pipeline text from the diagnostics it must produce. */
export const EXPECTED_MARKER = '#---- expected diagnostics (line:col severity code: message) ----';

export interface GoldenCase {
  input: string;
  expected: string[];
  actual: string[];
}

/** A fixture may start with `# golden-options: {json}` to pass validator options. */
export function formatDiagnostics(text: string, fileName: string): string[] {
  const lines = new LineIndex(text);
  const header = /^# golden-options: (\{.*\})/.exec(text);
  const options = header?.[1] === undefined ? {} : (JSON.parse(header[1]) as { maxLength?: number });
  // `after:` targets are looked up next to the fixture, as `validate` looks next to the file.
  const pipelineExists = (relativePath: string): boolean => existsSync(join(dirname(fileName), relativePath));
  return validatePipeline(text, { ...options, fileName, pipelineExists }).diagnostics.map((d) => {
    const p = lines.positionAt(d.span.start);
    return `${p.line + 1}:${p.character + 1} ${d.severity} ${d.code}: ${d.message}`;
  });
}

/**
 * Reads a golden fixture; with UPDATE_GOLDEN=1 rewrites its expectations from the actual output
 * (review the diff before committing it).
 */
export function runGolden(path: string): GoldenCase {
  const raw = readFileSync(path, 'utf8');
  const at = raw.indexOf(EXPECTED_MARKER);
  const input = at === -1 ? raw : raw.slice(0, at);
  const expected = at === -1 ? [] : raw.slice(at + EXPECTED_MARKER.length).split('\n').map((l) => l.replace(/^# ?/, '').trimEnd()).filter((l) => l !== '');
  // Read as the CLI reads a file (and as an editor shows it): a byte-order mark is no column.
  const actual = formatDiagnostics(withoutByteOrderMark(input), path.replace(/\.golden\.ya?ml$/, '.pipeline.yaml'));
  if (process.env['UPDATE_GOLDEN'] === '1') {
    const body = actual.map((l) => `# ${l}`).join('\n');
    writeFileSync(path, `${input.endsWith('\n') ? input : `${input}\n`}${EXPECTED_MARKER}\n${body}${body ? '\n' : ''}`);
  }
  return { input, expected, actual };
}
