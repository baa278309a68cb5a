import type { DefinitionParams, DocumentHighlight, DocumentHighlightParams, Location, ReferenceParams } from 'vscode-languageserver/node';
import { definitionAt, highlightsAt, referencesAt, type DocumentAnalysis } from '../../core/src/index.ts';
import { toRange } from './convert.ts';

export function definition(analysis: DocumentAnalysis, params: DefinitionParams): Location[] {
  const spans = definitionAt(analysis, analysis.lines.offsetAt(params.position));
  return spans.map((span) => ({ uri: params.textDocument.uri, range: toRange(analysis.lines, span) }));
}

export function references(analysis: DocumentAnalysis, params: ReferenceParams): Location[] {
  const spans = referencesAt(analysis, analysis.lines.offsetAt(params.position), params.context.includeDeclaration);
  return spans.map((span) => ({ uri: params.textDocument.uri, range: toRange(analysis.lines, span) }));
}

// DocumentHighlightKind values.
const READ = 2;
const WRITE = 3;

export function highlights(analysis: DocumentAnalysis, params: DocumentHighlightParams): DocumentHighlight[] {
  return highlightsAt(analysis, analysis.lines.offsetAt(params.position))
    .map((h) => ({ range: toRange(analysis.lines, h.span), kind: h.kind === 'write' ? WRITE : READ }));
}
