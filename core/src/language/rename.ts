import * as l10n from '@vscode/l10n';
import type { Span } from '../model/diagnostic.ts';
import { BLOCK_ID_PATTERN, VARIABLE_NAME_PATTERN } from '../model/schema.ts';
import { resolvePlain } from '../yaml/coreSchema.ts';
import type { DocumentAnalysis } from './analysis.ts';
import { occurrencesOf, symbolAt, symbolIndex, type SymbolOccurrence } from './symbols.ts';
import type { TextEdit } from './types.ts';

export type PrepareRenameResult = { span: Span; placeholder: string } | { error: string };
export type RenameResult = { edits: TextEdit[] } | { error: string };

/** A function, not a constant: the text is in the language the server was initialised with. */
const notRenameable = (): string => l10n.t('Only block ids and variable names can be renamed here.');

/**
 * What a rename at `offset` would rename. Block ids and variables are renamed everywhere they are
 * used, including `PIPELINE_VAR_<NAME>` in commands. Outputs are refused: the command writes them
 * as `name=value` text that no tool can reliably rewrite.
 */
export function prepareRename(analysis: DocumentAnalysis, offset: number): PrepareRenameResult {
  const symbol = symbolAt(symbolIndex(analysis), offset);
  if (symbol === undefined) return { error: notRenameable() };
  if (symbol.kind === 'output') {
    return { error: l10n.t("Outputs cannot be renamed automatically: the block's command writes the name to $PIPELINE_OUTPUT. Rename it by hand.") };
  }
  if (symbol.role === 'environment') return { span: symbol.span, placeholder: symbol.name };
  return { span: unquoted(analysis.text, symbol.span), placeholder: symbol.name };
}

export function renameAt(analysis: DocumentAnalysis, offset: number, newName: string): RenameResult {
  const prepared = prepareRename(analysis, offset);
  if ('error' in prepared) return prepared;
  const index = symbolIndex(analysis);
  const symbol = symbolAt(index, offset);
  if (symbol === undefined) return { error: notRenameable() };
  const name = newName.trim();
  const problem = symbol.kind === 'block' ? checkBlockId(analysis, symbol.name, name) : checkVariableName(analysis, symbol.name, name);
  if (problem !== undefined) return { error: problem };
  if (name === symbol.name) return { edits: [] };
  return { edits: occurrencesOf(index, symbol).map((o) => editFor(analysis.text, o, name)) };
}

function editFor(text: string, occurrence: SymbolOccurrence, name: string): TextEdit {
  if (occurrence.role === 'environment') return { span: occurrence.span, newText: `PIPELINE_VAR_${name.toUpperCase()}` };
  return { span: unquoted(text, occurrence.span), newText: name };
}

/** A quoted key or list entry keeps its quotes; only the name inside changes. */
function unquoted(text: string, span: Span): Span {
  const first = text[span.start];
  if (span.end - span.start >= 2 && (first === '"' || first === "'") && text[span.end - 1] === first) return { start: span.start + 1, end: span.end - 1 };
  return span;
}

/** YAML reads `true`, `null`, `1e3` … as other things than text, so they cannot be plain names. */
function yamlReadsAsText(name: string): boolean {
  return resolvePlain(name) === name;
}

function checkBlockId(analysis: DocumentAnalysis, old: string, name: string): string | undefined {
  if (!BLOCK_ID_PATTERN.test(name)) return l10n.t("'{0}' is not a valid block id: start with a letter or _, then letters, digits, _ or -.", name);
  if (!yamlReadsAsText(name)) return l10n.t("'{0}' cannot be a block id: YAML reads it as a boolean, null or number.", name);
  if (name !== old && analysis.result.pipeline.blockById.has(name)) return l10n.t("A block named '{0}' already exists.", name);
  return undefined;
}

function checkVariableName(analysis: DocumentAnalysis, old: string, name: string): string | undefined {
  if (!VARIABLE_NAME_PATTERN.test(name)) return l10n.t("'{0}' is not a valid variable name: start with a letter or _, then letters, digits or _.", name);
  if (!yamlReadsAsText(name)) return l10n.t("'{0}' cannot be a variable name: YAML reads it as a boolean, null or number.", name);
  for (const other of analysis.result.pipeline.variables.keys()) {
    if (other === old) continue;
    if (other === name) return l10n.t("A variable named '{0}' already exists.", name);
    if (other.toUpperCase() === name.toUpperCase()) {
      return l10n.t("'{0}' and the variable '{1}' would both be {2}; pick a name that differs in more than case.", name, other, `PIPELINE_VAR_${name.toUpperCase()}`);
    }
  }
  return undefined;
}
