/**
 * Makes user-controlled text (gate names, label values, error messages) inert in GitHub Markdown:
 * no HTML, no hidden markers, no @mentions or #references that ping, no broken tables.
 */
export function inlineMarkdown(text: string): string {
  return terminalText(text)
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/\|/g, '&#124;')
    .replace(/`/g, '&#96;')
    .replace(/([\\*_[\]~])/g, '\\$1')
    .replace(/@(?=[A-Za-z0-9-])/g, '@\u200b')
    .replace(/(?<!&)#(?=\d)/g, '#\u200b') // not inside the &#124; and &#96; above
    .replace(/\b(GH)-(?=\d)/gi, '$1\u200b-')
    // A value a template puts at the start of a line must not open a heading, a list or a rule;
    // those markers need a space (or the line's end, or a run of them) after them, so numbers
    // such as -0.5 and 0.005 stay as they are.
    .replace(/^(\s*)([#+=-])(?=[\s#+=-]|$)/, '$1\\$2')
    .replace(/^(\s*\d+)([.)])(?=\s|$)/, '$1\\$2');
}

/**
 * Text from data (gate names, label values, error texts) on one line without control
 * characters: no ANSI escape sequence, carriage return or backspace from a server or a config
 * reaches the terminal, and no line break starts a new Markdown block or workflow command.
 */
export function terminalText(text: string): string {
  return text.replace(/\r\n|[\r\n\t\u2028\u2029]/g, ' ').replace(/[\u0000-\u001f\u007f-\u009f]/g, '\ufffd');
}

/** A message for the runner's log: a line of data must not start a workflow command (`::…`). */
export function logLine(text: string): string {
  return text.replace(/^(\s*):(?=:)/gm, '$1:\u200b');
}

/** Text inside a fenced code block: only a fence could break out, so lengthen the fence. */
export function codeBlock(text: string, lang = ''): string {
  const longest = Math.max(2, ...[...text.matchAll(/`+/g)].map((m) => m[0].length));
  const fence = '`'.repeat(longest + 1);
  return `${fence}${lang}\n${text.replace(/<!--/g, '<\u200b!--')}\n${fence}`;
}
