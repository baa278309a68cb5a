import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { GRAMMAR_PATH, grammarText } from '../../scripts/generate-grammar.ts';
import { loadGrammar } from './tokenize.ts';

const root = join(import.meta.dirname, '..', '..');

test('the committed grammar is the generated one (run scripts/generate-grammar.ts after changing it)', () => {
  assert.equal(readFileSync(GRAMMAR_PATH, 'utf8'), grammarText());
});

test('the grammar loads, with and without the shell grammar it embeds', async () => {
  await loadGrammar(false);
  await loadGrammar(true);
});

test('package.json contributes the grammar, its embedded languages and the language configuration', () => {
  const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
    contributes: { languages: { id: string; configuration?: string }[]; grammars: { language: string; scopeName: string; path: string; embeddedLanguages?: Record<string, string> }[] };
  };
  const grammar = manifest.contributes.grammars.find((g) => g.language === 'pipeline');
  assert.ok(grammar);
  assert.equal(grammar.scopeName, 'source.pipeline');
  assert.equal(join(root, grammar.path), GRAMMAR_PATH);
  assert.deepEqual(grammar.embeddedLanguages, { 'meta.embedded.block.shell': 'shellscript', 'meta.embedded.line.shell': 'shellscript' });
  const language = manifest.contributes.languages.find((l) => l.id === 'pipeline');
  assert.equal(language?.configuration, './language-configuration.json');
});
