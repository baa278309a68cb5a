import type { Connection } from 'vscode-languageserver/node';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { Analyses } from './analyses.ts';
import { toLspDiagnostic } from './convert.ts';

/** Typing pauses shorter than this are one edit: validate once the user stops for a moment. */
export const DIAGNOSTICS_DELAY_MS = 50;
const MIN_DELAY_MS = 10;

/**
 * The pause to wait after a change: about as long as the last validation of the document took,
 * within 10–50 ms. A keystroke that arrives during the pause costs no validation, so a burst of
 * changes is validated once, while a cheap document shows its problems without a needless wait.
 */
export function changeDelay(lastCostMs: number | undefined): number {
  if (lastCostMs === undefined) return DIAGNOSTICS_DELAY_MS;
  return Math.min(DIAGNOSTICS_DELAY_MS, Math.max(MIN_DELAY_MS, Math.round(lastCostMs)));
}

interface Pending {
  timer: NodeJS.Timeout;
  version: number;
  due: number;
}

/**
 * Publishes diagnostics per document: at once when it opens, after a short pause in typing when it
 * changes, and an empty list when it closes. Validation is synchronous, so the version validated is
 * the version published; a version already superseded when its timer fires is never validated.
 */
export class DiagnosticsPublisher {
  private readonly pending = new Map<string, Pending>();
  private readonly published = new Map<string, number>();
  private readonly connection: Connection;
  private readonly documents: { get(uri: string): TextDocument | undefined };
  private readonly analyses: Analyses;

  constructor(connection: Connection, documents: { get(uri: string): TextDocument | undefined }, analyses: Analyses) {
    this.connection = connection;
    this.documents = documents;
    this.analyses = analyses;
  }

  /** Validates and publishes `document` after `delayMs`, unless it is already due sooner. */
  schedule(document: TextDocument, delayMs: number): void {
    const due = Date.now() + delayMs;
    const existing = this.pending.get(document.uri);
    if (existing !== undefined) {
      if (existing.version === document.version && existing.due <= due) return;
      clearTimeout(existing.timer);
    }
    const uri = document.uri;
    const timer = setTimeout(() => this.publish(uri), delayMs);
    this.pending.set(uri, { timer, version: document.version, due });
  }

  /** Clears the document's diagnostics, as a closed file has none. */
  close(uri: string): void {
    const existing = this.pending.get(uri);
    if (existing !== undefined) clearTimeout(existing.timer);
    this.pending.delete(uri);
    this.published.delete(uri);
    void this.connection.sendDiagnostics({ uri, diagnostics: [] }).catch(() => undefined);
  }

  private publish(uri: string): void {
    this.pending.delete(uri);
    try {
      const document = this.documents.get(uri);
      if (document === undefined || this.published.get(uri) === document.version) return;
      const analysis = this.analyses.current(document);
      // Synchronous since the document was read, so this is still its latest version.
      const diagnostics = analysis.result.diagnostics.map((d) => toLspDiagnostic(uri, analysis.lines, d));
      this.published.set(uri, document.version);
      void this.connection.sendDiagnostics({ uri, version: document.version, diagnostics }).catch(() => undefined);
    } catch (error) {
      this.connection.console.error(`diagnostics of ${uri} failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    }
  }
}
