import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import textmate from 'vscode-textmate';
import oniguruma from 'vscode-oniguruma';
import type { IGrammar, IRawGrammar } from 'vscode-textmate';
import { GRAMMAR_PATH } from '../../scripts/generate-grammar.ts';

export interface Token {
  text: string;
  scopes: string[];
}

/**
 * A stand-in for VS Code's shell grammar, which the tests do not have: just enough (strings,
 * comments) to show that `${{ }}` wins over the embedded grammar's own rules.
 */
const FAKE_SHELL: IRawGrammar = textmate.parseRawGrammar(JSON.stringify({
  scopeName: 'source.shell',
  patterns: [
    { name: 'string.quoted.double.shell', begin: '"', end: '"' },
    { name: 'string.quoted.single.shell', begin: "'", end: "'" },
    { name: 'comment.line.number-sign.shell', match: '(?<=^|\\s)#.*$' },
  ],
}), 'fake-shell.json');

let onigLoaded: Promise<void> | undefined;
const grammars = new Map<boolean, Promise<IGrammar>>();

function loadOniguruma(): Promise<void> {
  const wasm = readFileSync(createRequire(import.meta.url).resolve('vscode-oniguruma/release/onig.wasm'));
  onigLoaded ??= oniguruma.loadWASM(wasm.buffer.slice(wasm.byteOffset, wasm.byteOffset + wasm.byteLength));
  return onigLoaded;
}

/** The committed grammar, with or without a (fake) `source.shell` to embed, as in VS Code. */
export function loadGrammar(withShell: boolean): Promise<IGrammar> {
  let grammar = grammars.get(withShell);
  if (grammar === undefined) {
    const registry = new textmate.Registry({
      onigLib: loadOniguruma().then(() => ({
        createOnigScanner: (sources: string[]) => new oniguruma.OnigScanner(sources),
        createOnigString: (text: string) => new oniguruma.OnigString(text),
      })),
      loadGrammar: (scopeName: string): Promise<IRawGrammar | null> => {
        if (scopeName === 'source.pipeline') return Promise.resolve(textmate.parseRawGrammar(readFileSync(GRAMMAR_PATH, 'utf8'), GRAMMAR_PATH));
        return Promise.resolve(scopeName === 'source.shell' && withShell ? FAKE_SHELL : null);
      },
    });
    grammar = registry.loadGrammar('source.pipeline').then((g) => {
      if (g === null) throw new Error('source.pipeline did not load');
      return g;
    });
    grammars.set(withShell, grammar);
  }
  return grammar;
}

/** Tokenizes a text line by line, carrying the rule stack over as an editor does. */
export async function tokenize(text: string, withShell = false): Promise<Token[][]> {
  const grammar = await loadGrammar(withShell);
  let state = textmate.INITIAL;
  return text.split('\n').map((line) => {
    const result = grammar.tokenizeLine(line, state);
    state = result.ruleStack;
    return result.tokens.map((t) => ({ text: line.slice(t.startIndex, t.endIndex), scopes: t.scopes }));
  });
}

export interface Where {
  /** Which occurrence of the needle (0-based). */
  nth?: number;
  /** Count occurrences from this offset on. */
  from?: number;
  withShell?: boolean;
}

/** The scopes of every token that overlaps the `nth` occurrence of `needle` in `text`. */
export async function scopesOf(text: string, needle: string, where: Where = {}): Promise<string[][]> {
  let at = (where.from ?? 0) - 1;
  for (let i = 0; i <= (where.nth ?? 0); i++) {
    at = text.indexOf(needle, at + 1);
    if (at === -1) throw new Error(`'${needle}' occurs fewer than ${(where.nth ?? 0) + 1} times`);
  }
  const before = text.slice(0, at).split('\n');
  const line = before.length - 1;
  const column = before[line]?.length ?? 0;
  if (needle.includes('\n')) throw new Error('a needle is matched within one line');
  const tokens = (await tokenize(text, where.withShell))[line] ?? [];
  const out: string[][] = [];
  let start = 0;
  for (const t of tokens) {
    const end = start + t.text.length;
    if (end > column && start < column + needle.length) out.push(t.scopes);
    start = end;
  }
  return out;
}
