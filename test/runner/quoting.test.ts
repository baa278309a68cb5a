import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fc from 'fast-check';
import { quoteJsonString, quotePosix, quotePwsh } from '../../core/src/runner/quote.ts';
import { substituteScript, type TemplatePiece } from '../../core/src/runner/substitute.ts';
import { findExecutable } from '../../core/src/runner/shells.ts';

// Values are data, never code: each property runs a real shell on many arbitrary values at once
// (one process per generated array keeps the test fast) and compares what it prints, byte for byte.

const NASTY = [
  "'; rm -rf ~", '$(id)', '`id`', "it's", '"quoted"', 'back\\slash', 'multi\nline\n', '${HOME}', '$HOME', '!!', '*', '~',
  '-n', '', ' ', '\t', 'a\r\nb', '‘typographic’ “quotes”', "'\\''", 'EOF', '$((1+1))', 'a[$(echo PWNED >&2)]', 'x; exit 7', '%s%d',
];
/** Any code point but NUL (which no process argument or environment variable can hold). */
const value = fc.string({ unit: 'binary', maxLength: 40 }).filter((s) => !s.includes('\0'));
const values = fc.array(value, { minLength: 1, maxLength: 25 });
const RUNS = 40;

function run(file: string, args: string[], env: Record<string, string> = {}): Buffer {
  const r = spawnSync(file, args, { env: { ...process.env, ...env }, maxBuffer: 64 * 1024 * 1024 });
  assert.equal(r.status, 0, `${file} failed: ${r.stderr.toString()}`);
  return r.stdout;
}

/** printf '%s\0' for each value; what comes back split on NUL must be the values. */
function printedValues(out: Buffer): string[] {
  const parts = out.toString('utf8').split('\0');
  parts.pop();
  return parts;
}

function template(text: string): TemplatePiece[] {
  return text.split(/(\$\{\{.*?\}\})/).filter((p) => p !== '').map((p) => (p.startsWith('${{') ? { kind: 'expr', text: p } : { kind: 'text', text: p }));
}

for (const shell of ['bash', 'sh'] as const) {
  test(`${shell}: a single-quoted value reads back exactly`, () => {
    const check = (vs: string[]): void => {
      const script = vs.map((v) => `printf '%s\\0' ${quotePosix(v)}`).join('\n');
      assert.deepEqual(printedValues(run(shell, ['-c', script])), vs);
    };
    check(NASTY);
    fc.assert(fc.property(values, check), { numRuns: RUNS });
  });

  test(`${shell}: a \${{ }} value is one word bare, exact inside double quotes and in an unquoted heredoc`, () => {
    const check = (vs: string[]): void => {
      const lines: string[] = [];
      for (let i = 0; i < vs.length; i++) {
        lines.push(`printf '%s\\0' \${{ v${i} }}`, `printf '%s\\0' "\${{ v${i} }}"`, `printf '%s\\0' "<\${{ v${i} }}>"`, `printf '%s\\0' x\${{ v${i} }}y`);
        lines.push(`cat <<EOF\n\${{ v${i} }}\nEOF\nprintf '\\0'`);
      }
      const pieces = template(lines.join('\n'));
      const perValue = vs.flatMap((v) => [v, v, v, v, v]);
      const result = substituteScript(shell, pieces, perValue);
      assert.ok(!('error' in result), JSON.stringify(result));
      const printed = printedValues(run(shell, ['-c', result.script], result.env));
      assert.deepEqual(printed, vs.flatMap((v) => [v, v, `<${v}>`, `x${v}y`, `${v}\n`]));
    };
    check(NASTY);
    fc.assert(fc.property(values, check), { numRuns: RUNS });
  });
}

test('the substituted script holds no value, only references: the same text whatever the values', () => {
  fc.assert(fc.property(value, value, (a, b) => {
    const pieces = template('echo ${{ x }} "${{ x }}"');
    const one = substituteScript('bash', pieces, [a, a]);
    const two = substituteScript('bash', pieces, [b, b]);
    assert.ok(!('error' in one) && !('error' in two));
    assert.equal(one.script, two.script);
  }), { numRuns: 200 });
});

test('expressions inside single quotes or a quoted heredoc are refused with a reason', () => {
  for (const text of ["echo '${{ vars.x }}'", "cat <<'PY'\nprint(${{ vars.x }})\nPY", "echo $'${{ vars.x }}'", "awk '{ print \"${{ vars.x }}\" }'"]) {
    const result = substituteScript('bash', template(text), ['v']);
    assert.ok('error' in result, text);
    assert.match(result.error, /\$\{\{ vars\.x \}\} \(line \d+ of run\) is inside .*; write it outside the quotes/);
  }
});

test('bash arithmetic contexts accept whole numbers only, since bash evaluates a[$(cmd)] there', () => {
  for (const text of ['echo $(( ${{ n }} + 1 ))', '(( ${{ n }} > 1 ))', '[[ ${{ n }} -gt 1 ]]', '[[ "${{ n }}" -eq 1 ]]', 'a[${{ n }}]=1', 'echo ${a[${{ n }}]}']) {
    const refused = substituteScript('bash', template(text), ['a[$(echo PWNED >&2)]']);
    assert.ok('error' in refused, text);
    assert.match(refused.error, /not a whole number/);
    const ok = substituteScript('bash', template(text), ['42']);
    assert.ok(!('error' in ok), text);
  }
  const plain = substituteScript('bash', template('[[ ${{ n }} == x ]] && echo ${{ n }}'), ['a[$(id)]', 'a[$(id)]']);
  assert.ok(!('error' in plain));
  // /bin/sh may be bash in POSIX mode (macOS), which evaluates $(( )) the same way; (( )) and [[ ]] are not sh.
  assert.ok('error' in substituteScript('sh', template('echo $(( ${{ n }} ))'), ['x']));
  assert.ok(!('error' in substituteScript('sh', template('[[ ${{ n }} -eq 1 ]]'), ['x'])));
});

for (const [shell, file, args] of [['python', 'python3', ['-c']], ['node', process.execPath, ['-e']]] as const) {
  test(`${shell}: a JSON string literal reads back exactly, and a \${{ }} in code is the value`, () => {
    const write = shell === 'python' ? (expr: string) => `sys.stdout.write(${expr} + '\\0')` : (expr: string) => `process.stdout.write(${expr} + '\\0')`;
    const header = shell === 'python' ? 'import sys\n' : '';
    const check = (vs: string[]): void => {
      const literal = header + vs.map((v) => write(quoteJsonString(v))).join('\n');
      assert.deepEqual(printedValues(run(file, [...args, literal])), vs);
      const pieces = template(header + vs.map((_, i) => write(`\${{ v${i} }}`)).join('\n'));
      const result = substituteScript(shell, pieces, vs);
      assert.ok(!('error' in result), JSON.stringify(result));
      assert.deepEqual(printedValues(run(file, [...args, result.script], result.env)), vs);
    };
    check(NASTY);
    fc.assert(fc.property(values, check), { numRuns: shell === 'python' ? 6 : 15 });
  });
}

test('python and node refuse a ${{ }} inside a string literal', () => {
  assert.ok('error' in substituteScript('python', template('print("hello ${{ x }}")'), ['v']));
  assert.ok('error' in substituteScript('node', template('console.log(`hello ${{ x }}`)'), ['v']));
  assert.ok(!('error' in substituteScript('python', template('print(f"hello {${{ x }}}")'), ['v'])));
  assert.ok(!('error' in substituteScript('node', template('console.log(`hello ${${{ x }}}`)'), ['v'])));
});

test('pwsh quoting doubles every kind of single quote', () => {
  assert.equal(quotePwsh("it's"), "'it''s'");
  assert.equal(quotePwsh('‘a’'), "'‘‘a’’'");
  const refused = substituteScript('pwsh', template("Write-Output '${{ x }}'"), ['v']);
  assert.ok('error' in refused);
  const typographic = substituteScript('pwsh', template('Write-Output ‘${{ x }}’'), ['v']);
  assert.ok('error' in typographic, 'typographic quotes are quotes to PowerShell');
  const ok = substituteScript('pwsh', template('Write-Output ${{ x }} "a ${{ x }}"'), ['v', 'v']);
  assert.ok(!('error' in ok));
  assert.equal(ok.script, 'Write-Output ${env:PIPELINE_EXPR_1} "a ${env:PIPELINE_EXPR_2}"');
});

test('pwsh: values read back exactly (when PowerShell is installed)', (t) => {
  if (findExecutable('pwsh', process.env.PATH) === undefined) {
    t.skip('pwsh is not installed here');
    return;
  }
  const check = (vs: string[]): void => {
    const script = vs.map((v, i) => `[Console]::Out.Write(${quotePwsh(v)} + [char]0); [Console]::Out.Write("\${env:V${i}}" + [char]0)`).join('\n');
    const env = Object.fromEntries(vs.map((v, i) => [`V${i}`, v]));
    assert.deepEqual(printedValues(run('pwsh', ['-NoLogo', '-NoProfile', '-NonInteractive', '-Command', script], env)), vs.flatMap((v) => [v, v]));
  };
  check(NASTY.filter((v) => v !== ''));
  fc.assert(fc.property(values, check), { numRuns: 5 });
});
