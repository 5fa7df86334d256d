/**
 * Makes user-controlled text (gate names, label values, error messages) inert in GitHub Markdown:
 * no HTML, no hidden markers, no @mentions or #references that ping, no broken tables.
 */
export function inlineMarkdown(text: string): string {
  return text
    .replace(/\r?\n/g, ' ')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/\|/g, '&#124;')
    .replace(/`/g, '&#96;')
    .replace(/([\\*_[\]~])/g, '\\$1')
    .replace(/@(?=[A-Za-z0-9-])/g, '@\u200b')
    .replace(/#(?=\d)/g, '#\u200b');
}

/** Text inside a fenced code block: only a fence could break out, so lengthen the fence. */
export function codeBlock(text: string, lang = ''): string {
  const longest = Math.max(2, ...[...text.matchAll(/`+/g)].map((m) => m[0].length));
  const fence = '`'.repeat(longest + 1);
  return `${fence}${lang}\n${text.replace(/<!--/g, '<\u200b!--')}\n${fence}`;
}
