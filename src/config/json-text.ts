/**
 * A config written as JSON is read without the YAML parser (which is most of a small run's
 * start-up when loaded for nothing). JSON.parse keeps the last of two equal keys silently, where
 * the YAML parser refuses them: `duplicateKey` finds the first repeated key so a JSON config is
 * held to the same rule.
 */

/** Whether the text may be a JSON document (an object): its first non-blank character is `{`. */
export function looksLikeJson(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09 || c === 0xfeff) continue;
    return c === 0x7b; // {
  }
  return false;
}

/**
 * The first key repeated within one object of a JSON text that JSON.parse accepted, with its
 * line and path, or null. One pass over the characters, no allocation but the keys of the
 * objects open at the moment.
 */
export function duplicateKey(text: string): { key: string; line: number; path: (string | number)[] } | null {
  // For each open container: an object's seen keys (a Set) or an array's index (a number).
  const stack: ({ keys: Set<string>; key: string | null } | { index: number })[] = [];
  let line = 1;
  let expectKey = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (c === '\n') line++;
    else if (c === '{') {
      stack.push({ keys: new Set(), key: null });
      expectKey = true;
    } else if (c === '[') {
      stack.push({ index: 0 });
      expectKey = false;
    } else if (c === '}' || c === ']') {
      stack.pop();
      expectKey = false;
    } else if (c === ',') {
      const top = stack[stack.length - 1];
      if (top && 'index' in top) top.index++;
      else expectKey = true;
    } else if (c === '"') {
      let j = i + 1;
      let raw = false;
      while (text[j] !== '"') {
        if (text[j] === '\\') {
          raw = true;
          j++;
        }
        j++;
      }
      if (expectKey) {
        const slice = text.slice(i + 1, j);
        const key = raw ? (JSON.parse(`"${slice}"`) as string) : slice;
        const top = stack[stack.length - 1] as { keys: Set<string>; key: string | null };
        if (top.keys.has(key)) {
          const path = stack.slice(0, -1).map((s) => ('index' in s ? s.index : s.key!));
          return { key, line, path: [...path, key] };
        }
        top.keys.add(key);
        top.key = key;
        expectKey = false;
      }
      i = j;
    }
  }
  return null;
}
