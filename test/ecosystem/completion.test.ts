import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

// `pipeline-studio completion bash` loaded into a real bash, which is then asked to complete words
// the way it does at a prompt (the completion function with COMP_WORDS/COMP_CWORD set).
const ROOT = join(import.meta.dirname, '..', '..');
const CLI = join(ROOT, 'core', 'src', 'cli', 'main.ts');
const dir = mkdtempSync(join(tmpdir(), 'ps-completion-'));
after(() => rmSync(dir, { recursive: true, force: true }));

function cli(...args: string[]): { code: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8' });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

const script = cli('completion', 'bash').stdout;
writeFileSync(join(dir, 'completion.bash'), script);
mkdirSync(join(dir, 'work', 'sub'), { recursive: true });
for (const name of ['build.pipeline.yaml', 'deploy.pipeline.yml', 'notes.txt']) writeFileSync(join(dir, 'work', name), '');

/** The words bash offers for the command line `words`, the last one being completed. */
function complete(...words: string[]): string[] {
  const quoted = words.map((w) => `'${w}'`).join(' ');
  const program = `source ${JSON.stringify(join(dir, 'completion.bash'))}
COMP_WORDS=(pipeline-studio ${quoted}); COMP_CWORD=${words.length}
_pipeline_studio
printf '%s\\n' "\${COMPREPLY[@]}"`;
  const r = spawnSync('bash', ['--norc', '--noprofile', '-c', program], { cwd: join(dir, 'work'), encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  return r.stdout.split('\n').filter((l) => l !== '').sort();
}

test('the bash script registers itself for pipeline-studio (complete -p)', () => {
  const r = spawnSync('bash', ['--norc', '--noprofile', '-c', `source ${JSON.stringify(join(dir, 'completion.bash'))}; complete -p pipeline-studio`], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.stdout.trim(), 'complete -o filenames -F _pipeline_studio pipeline-studio');
});

test('bash completes commands, a command\'s options, option values and pipeline files', () => {
  assert.deepEqual(complete('va'), ['validate']);
  assert.deepEqual(complete('r'), ['reject', 'resume', 'retry', 'run', 'runs']);
  assert.ok(complete('').includes('completion') && complete('').includes('lsp'));
  assert.deepEqual(complete('run', '--c'), ['--ci-groups', '--concurrency']);
  assert.deepEqual(complete('validate', '--format', 'g'), ['github', 'gitlab']);
  assert.deepEqual(complete('completion', ''), ['bash', 'fish', 'zsh']);
  // Pipeline files and folders, not other files.
  assert.deepEqual(complete('run', ''), ['build.pipeline.yaml', 'deploy.pipeline.yml', 'sub']);
});

test('zsh and fish scripts name every command; a wrong shell is a usage error', () => {
  for (const shell of ['zsh', 'fish']) {
    const r = cli('completion', shell);
    assert.equal(r.code, 0, r.stderr);
    for (const command of ['validate', 'run', 'lsp', 'completion']) assert.match(r.stdout, new RegExp(`\\b${command}\\b`), `${shell}: ${command}`);
  }
  assert.match(cli('completion', 'zsh').stdout, /^#compdef pipeline-studio/);
  const wrong = cli('completion', 'powershell');
  assert.equal(wrong.code, 2);
  assert.match(wrong.stderr, /name a shell: bash, zsh, fish/);
});
