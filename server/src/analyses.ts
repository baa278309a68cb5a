import { existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { analyzeDocument, CstCache, type DocumentAnalysis } from '../../core/src/index.ts';

interface Entry {
  version: number;
  analysis: DocumentAnalysis;
  /** How long the analysis took, in ms. */
  costMs: number;
  /** Parsed pieces of this document, so the next version re-parses only the piece that changed. */
  cache: CstCache;
}

/**
 * The latest analysis of each open document, by version. Completion reads whatever is latest
 * (names and the graph rarely change in one keystroke), while features that return positions
 * ask for the current version, which is validated on demand if the debounce has not run yet.
 */
export class Analyses {
  private readonly entries = new Map<string, Entry>();

  /** The most recent analysis, possibly of an earlier version; undefined before the first one. */
  latest(uri: string): DocumentAnalysis | undefined {
    return this.entries.get(uri)?.analysis;
  }

  /** The version the latest analysis is of. */
  versionOf(uri: string): number | undefined {
    return this.entries.get(uri)?.version;
  }

  /** How long the latest analysis of `uri` took, in ms; undefined before the first one. */
  costOf(uri: string): number | undefined {
    return this.entries.get(uri)?.costMs;
  }

  /** The analysis of the document as it is now. */
  current(document: TextDocument): DocumentAnalysis {
    return this.upToDate(document) ?? this.analyze(document);
  }

  private upToDate(document: TextDocument): DocumentAnalysis | undefined {
    const entry = this.entries.get(document.uri);
    return entry?.version === document.version ? entry.analysis : undefined;
  }

  private analyze(document: TextDocument): DocumentAnalysis {
    const cache = this.entries.get(document.uri)?.cache ?? new CstCache();
    // The old analysis is garbage once replaced; letting go of it first lowers the peak memory.
    this.entries.delete(document.uri);
    const started = performance.now();
    const analysis = analyzeDocument(document.getText(), { fileName: fileNameOf(document.uri), cache, pipelineExists: pipelineExistsNextTo(document.uri), filePath: filePathOf(document.uri) });
    this.entries.set(document.uri, { version: document.version, analysis, cache, costMs: performance.now() - started });
    return analysis;
  }

  forget(uri: string): void {
    this.entries.delete(uri);
  }
}

/** The file name for the default pipeline name; any URI scheme (file:, untitled:) will do. */
/** `after:` targets of a file on disk are looked up next to it; other documents (untitled, remote) are not checked. */
function pipelineExistsNextTo(uri: string): ((relativePath: string) => boolean) | undefined {
  if (!uri.startsWith('file:')) return undefined;
  let folder: string;
  try {
    folder = dirname(fileURLToPath(uri));
  } catch {
    return undefined;
  }
  return (relativePath) => existsSync(resolve(folder, relativePath));
}

/** The path on disk of a file: document (sub-pipeline includes are read next to it); undefined otherwise. */
function filePathOf(uri: string): string | undefined {
  if (!uri.startsWith('file:')) return undefined;
  try {
    return fileURLToPath(uri);
  } catch {
    return undefined;
  }
}

function fileNameOf(uri: string): string | undefined {
  const path = uri.replace(/[?#].*$/, '');
  const name = path.slice(path.lastIndexOf('/') + 1);
  try {
    return decodeURIComponent(name) || undefined;
  } catch {
    return name || undefined;
  }
}
