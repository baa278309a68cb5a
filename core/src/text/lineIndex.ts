/** Zero-based line and UTF-16 column, the unit both LSP and JavaScript strings use. */
export interface Position {
  line: number;
  character: number;
}

/**
 * Converts offsets to positions and back. Line starts are found once, so every conversion is a
 * binary search: diagnostics of a 10,000-block file convert in microseconds.
 */
export class LineIndex {
  readonly text: string;
  private readonly starts: number[];

  constructor(text: string) {
    this.text = text;
    const starts = [0];
    let i = text.indexOf('\n');
    while (i !== -1) {
      starts.push(i + 1);
      i = text.indexOf('\n', i + 1);
    }
    this.starts = starts;
  }

  get lineCount(): number {
    return this.starts.length;
  }

  positionAt(offset: number): Position {
    const clamped = Math.max(0, Math.min(offset, this.text.length));
    let lo = 0;
    let hi = this.starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if ((this.starts[mid] ?? 0) <= clamped) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo, character: clamped - (this.starts[lo] ?? 0) };
  }

  offsetAt(position: Position): number {
    if (position.line < 0) return 0;
    if (position.line >= this.starts.length) return this.text.length;
    const start = this.starts[position.line] ?? 0;
    const next = this.starts[position.line + 1] ?? this.text.length + 1;
    // A column past the end of the line stops at the line break, as LSP asks.
    let lineEnd = next - 1;
    if (lineEnd > start && this.text.charCodeAt(lineEnd - 1) === 13) lineEnd -= 1;
    return Math.min(start + Math.max(0, position.character), Math.max(start, Math.min(lineEnd, this.text.length)));
  }

  lineStart(line: number): number {
    return this.starts[Math.max(0, Math.min(line, this.starts.length - 1))] ?? 0;
  }
}
