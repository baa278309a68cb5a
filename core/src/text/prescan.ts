import * as l10n from '@vscode/l10n';
import { diagnostic, type Diagnostic } from '../model/diagnostic.ts';

/** Above this size a file gets one `file-too-large` diagnostic instead of a full validation. */
export const MAX_VALIDATED_BYTES = 4 * 1024 * 1024;
/** Deeper nesting is refused before the YAML parser sees the text: a ~900-deep flow sequence aborts Node. */
export const MAX_NESTING = 64;
const MAX_CHARACTER_DIAGNOSTICS = 20;

export interface PrescanResult {
  diagnostics: Diagnostic[];
  /** False when the YAML parser must not be run on this text at all. */
  parseable: boolean;
  /** Tabs in indentation: only the full YAML composer reports those, so the slow path must run. */
  tabIndent: boolean;
}

/**
 * One linear pass over the raw text that bounds the work every later stage does: size, nesting
 * depth (flow brackets and block indentation) and characters YAML forbids.
 */
export function prescan(text: string, maxLength = MAX_VALIDATED_BYTES): PrescanResult {
  const diagnostics: Diagnostic[] = [];
  if (text.length > maxLength) {
    const limit = maxLength >= 1024 * 1024 ? `${(maxLength / 1024 / 1024).toFixed(0)} MiB` : `${maxLength} characters`;
    diagnostics.push(
      diagnostic('file-too-large', 'warning', { start: 0, end: 0 },
        l10n.t('This file is {0}; pipeline files above {1} are not validated. Split it into several pipelines.', describeSize(text.length), limit)),
    );
    return { diagnostics, parseable: false, tabIndent: false };
  }
  let badCharacters = 0;
  let flowDepth = 0;
  let deepestAt = -1;
  let tabIndent = false;
  const indents: number[] = [];
  let lineStart = true;
  let indent = 0;
  let quote = 0; // the quote character we are inside of, within flow context only
  // A flow collection can only open where a value starts; `echo [x` in a plain scalar must not count.
  let previous = 10;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (lineStart) {
      if (c === 32) { indent++; continue; }
      if (c === 9) { tabIndent = true; indent++; continue; }
      lineStart = false;
      if (c !== 10 && c !== 13 && c !== 35 /* # */) {
        while (indents.length > 0 && (indents[indents.length - 1] ?? 0) >= indent) indents.pop();
        indents.push(indent);
        if (indents.length > MAX_NESTING && deepestAt < 0) deepestAt = i;
      }
    }
    if (c === 10) { lineStart = true; indent = 0; previous = 10; continue; }
    if ((c < 32 && c !== 9 && c !== 13) || c === 127 || c === 0xfffe || c === 0xffff) {
      if (badCharacters++ < MAX_CHARACTER_DIAGNOSTICS) {
        diagnostics.push(diagnostic('invalid-character', 'error', { start: i, end: i + 1 },
          l10n.t('Control character U+{0} is not allowed in a pipeline file.', c.toString(16).toUpperCase().padStart(4, '0'))));
      }
      continue;
    }
    if (quote !== 0) {
      if (c === quote) quote = 0;
      continue;
    }
    const atValueStart = previous === 10 || previous === 58 || previous === 45 || previous === 91 || previous === 123 || previous === 44 || previous === 63;
    if (c !== 32 && c !== 9) previous = c;
    if ((c === 91 || c === 123) && atValueStart) { // [ {
      flowDepth++;
      if (flowDepth > MAX_NESTING && deepestAt < 0) deepestAt = i;
    } else if ((c === 93 || c === 125) && flowDepth > 0) {
      flowDepth--;
    } else if ((c === 39 || c === 34) && flowDepth > 0) {
      quote = c;
    } else if (c === 45 && text.charCodeAt(i + 1) === 32 && atValueStart && flowDepth === 0) {
      // "- - - x": compact nested sequences on one line nest as deep as blocks do.
      indents.push(indent + (i - text.lastIndexOf('\n', i) - 1));
      if (indents.length > MAX_NESTING && deepestAt < 0) deepestAt = i;
    }
  }
  if (deepestAt >= 0) {
    diagnostics.push(diagnostic('nesting-too-deep', 'error', { start: deepestAt, end: deepestAt + 1 },
      l10n.t('The YAML nests deeper than {0} levels here; a pipeline never needs that, so the file is not parsed.', MAX_NESTING)));
    return { diagnostics, parseable: false, tabIndent };
  }
  // A tab after a `- ` or `? ` indicator indents the node that follows, which YAML forbids too.
  if (!tabIndent && text.includes('\t')) tabIndent = /^[ ]*(?:[-?:][ \t]+)+\t|^[ ]*[-?:]\t/m.test(text);
  return { diagnostics, parseable: true, tabIndent };
}

function describeSize(length: number): string {
  return length >= 1024 * 1024 ? `${(length / 1024 / 1024).toFixed(1)} MiB` : `${length} characters`;
}
