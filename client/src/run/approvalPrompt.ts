/**
 * An approval gate's prompt is the pipeline's text with its variables substituted: it must show as
 * typed. Notifications turn `[label](target)` into links (`command:` ones included), so the pair is
 * broken with an invisible word joiner, and line breaks become spaces. VS-Code-free, for tests.
 */
export function plainText(text: string): string {
  return text.replace(/\]\s*\(/g, ']\u2060(').replace(/\s*\r?\n\s*/g, ' ');
}
