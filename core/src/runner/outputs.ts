/**
 * Reads a block's `$PIPELINE_OUTPUT` file (GitHub Actions' `$GITHUB_OUTPUT` syntax): `name=value`
 * lines, and `name<<DELIM` … `DELIM` for multi-line values. Blank lines are ignored; anything else
 * is an error quoting the line, since a typo would otherwise silently lose an output.
 */
const NAME = /^[A-Za-z_][A-Za-z0-9_-]*$/;

export type ParsedOutputs = { outputs: Record<string, string> } | { error: string };

export function parseOutputs(text: string): ParsedOutputs {
  const outputs: Record<string, string> = Object.create(null) as Record<string, string>;
  const lines = text.split('\n');
  // A final newline ends the last line rather than starting an empty one.
  if (lines.length > 0 && lines[lines.length - 1] === '') lines.pop();
  for (let i = 0; i < lines.length; i++) {
    const line = (lines[i] ?? '').replace(/\r$/, '');
    if (line.trim() === '') continue;
    const heredoc = /^([^=<]*)<<(.+)$/.exec(line);
    const eq = line.indexOf('=');
    if (heredoc !== null && (eq === -1 || eq > line.indexOf('<<'))) {
      const name = (heredoc[1] ?? '').trim();
      const delim = heredoc[2] ?? '';
      if (!NAME.test(name)) return { error: `line ${i + 1}: '${name}' is not a valid output name` };
      const body: string[] = [];
      let closed = false;
      for (i++; i < lines.length; i++) {
        const bodyLine = (lines[i] ?? '').replace(/\r$/, '');
        if (bodyLine === delim) {
          closed = true;
          break;
        }
        body.push(bodyLine);
      }
      if (!closed) return { error: `output '${name}': no line '${delim}' ends the value started by '${name}<<${delim}'` };
      outputs[name] = body.join('\n');
      continue;
    }
    if (eq === -1) return { error: `line ${i + 1} is neither name=value nor name<<DELIMITER: ${JSON.stringify(line.slice(0, 200))}` };
    const name = line.slice(0, eq).trim();
    if (!NAME.test(name)) return { error: `line ${i + 1}: '${name}' is not a valid output name` };
    outputs[name] = line.slice(eq + 1);
  }
  return { outputs: { ...outputs } };
}

/** The declared names a successful attempt did not write, for the `missing output 'x'` reason. */
export function missingOutputs(declared: readonly string[] | undefined, outputs: Record<string, string>): string[] {
  return (declared ?? []).filter((name) => !Object.hasOwn(outputs, name));
}
