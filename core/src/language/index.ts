// Editor features as pure functions over offsets: the language server translates them to LSP.
export { analyzeDocument, type AnalyzeOptions, type DocumentAnalysis } from './analysis.ts';
export { completeAt, type CompleteOptions } from './completion.ts';
export { cursorContext, type CursorContext } from './cursor.ts';
export { describeCron, type CronDescription } from './cronText.ts';
export { foldingRanges } from './folding.ts';
export { hoverAt, type HoverOptions } from './hover.ts';
export { definitionAt, highlightsAt, referencesAt } from './navigation.ts';
export { documentSymbols } from './outline.ts';
export { quickFixes, type QuickFix } from './quickFixes.ts';
export { prepareRename, renameAt, type PrepareRenameResult, type RenameResult } from './rename.ts';
export { symbolAt, symbolIndex, type SymbolIndex, type SymbolKind, type SymbolOccurrence } from './symbols.ts';
export type * from './types.ts';
