/**
 * A UTF-8 file may start with a byte-order mark (U+FEFF). Editors neither show it nor count it as
 * a column (VS Code drops it from the document's text), so text read from disk loses it before any
 * offset is taken: `unknown key` on the first line is then at 1:1 in the CLI as in the editor.
 */
export function withoutByteOrderMark(text: string): string {
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}
