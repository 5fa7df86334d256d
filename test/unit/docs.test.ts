import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * The README and the pages under docs/ link to each other, to examples and to headings: every
 * relative link must reach an existing file, and a `#fragment` an existing heading of it, so a
 * moved section or a renamed heading cannot leave a dead link behind.
 */

const ROOT = join(import.meta.dirname, '../..');
const PAGES = ['README.md', ...readdirSync(join(ROOT, 'docs')).filter((f) => f.endsWith('.md')).sort().map((f) => `docs/${f}`)];

/** The lines outside fenced code blocks, each with its 1-based line number. */
function prose(markdown: string): { line: string; n: number }[] {
  const out: { line: string; n: number }[] = [];
  let fence: string | null = null;
  markdown.split('\n').forEach((line, i) => {
    const marker = /^\s*(```+|~~~+)/.exec(line)?.[1];
    if (marker && (fence === null || marker.startsWith(fence))) fence = fence === null ? marker : null;
    else if (fence === null) out.push({ line, n: i + 1 });
  });
  return out;
}

/** GitHub's heading anchor: lowercase, punctuation other than '-' and '_' removed, spaces → '-'. */
function slug(heading: string): string {
  return heading.trim().toLowerCase().replace(/[^\p{L}\p{M}\p{N}\p{Pc} -]/gu, '').replace(/ /g, '-');
}

/** Every anchor a page has: one per heading, the second of a name gets `-1`, the third `-2`, … */
function anchors(markdown: string): Set<string> {
  const seen = new Map<string, number>();
  const out = new Set<string>();
  for (const { line } of prose(markdown)) {
    const h = /^#{1,6}\s+(.*?)\s*#*\s*$/.exec(line);
    if (!h) continue;
    const base = slug(h[1]!);
    const count = seen.get(base) ?? 0;
    seen.set(base, count + 1);
    out.add(count === 0 ? base : `${base}-${count}`);
  }
  return out;
}

/** Relative links `[text](target)` outside code, with their line numbers. */
function links(markdown: string): { target: string; n: number }[] {
  const out: { target: string; n: number }[] = [];
  for (const { line, n } of prose(markdown)) {
    const text = line.replace(/(`+)[\s\S]*?\1/g, '');
    for (const m of text.matchAll(/\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)/g)) {
      const target = m[1]!;
      if (!/^[a-z][a-z0-9+.-]*:/i.test(target)) out.push({ target, n });
    }
  }
  return out;
}

const read = (file: string) => readFileSync(join(ROOT, file), 'utf8');

describe('the documentation', () => {
  it('the slug follows GitHub\'s rules', () => {
    expect(slug('Governance on the pull request')).toBe('governance-on-the-pull-request');
    expect(slug('The `prometheus` provider')).toBe('the-prometheus-provider');
    expect(slug('What "no data" means')).toBe('what-no-data-means');
    expect(slug('The Go/No-Go document')).toBe('the-gono-go-document');
    expect(slug('Workflow 1: evaluate on every release PR, as a required check')).toBe('workflow-1-evaluate-on-every-release-pr-as-a-required-check');
    expect(slug('snake_case stays')).toBe('snake_case-stays');
    expect(anchors('# A\n## A\n```\n# B\n```\n## A\n')).toEqual(new Set(['a', 'a-1', 'a-2']));
  });

  it('finds the links it is meant to check, and skips code and absolute URLs', () => {
    const found = links('[a](docs/x.md) [b](#y) `[c](z.md)` [d](https://e.org)\n```\n[f](g.md)\n```\n');
    expect(found.map((l) => l.target)).toEqual(['docs/x.md', '#y']);
  });

  it.each(PAGES)('%s: every relative link reaches an existing file and heading', (page) => {
    const dead: string[] = [];
    for (const { target, n } of links(read(page))) {
      const [path, fragment] = target.split('#', 2) as [string, string | undefined];
      const file = path === '' ? page : relative(ROOT, join(ROOT, dirname(page), decodeURIComponent(path)));
      if (file.startsWith('..') || !existsSync(join(ROOT, file))) {
        dead.push(`${page}:${n}: ${target} (no file ${file})`);
        continue;
      }
      if (fragment === undefined || fragment === '') continue;
      if (!file.endsWith('.md') || statSync(join(ROOT, file)).isDirectory()) {
        dead.push(`${page}:${n}: ${target} (a #fragment into a file that is not Markdown)`);
      } else if (!anchors(read(file)).has(fragment)) {
        dead.push(`${page}:${n}: ${target} (no heading #${fragment} in ${file})`);
      }
    }
    expect(dead).toEqual([]);
  });

  it('the README stays a short start: under 250 lines, and it links every page under docs/', () => {
    const readme = read('README.md');
    expect(readme.split('\n').length).toBeLessThan(250);
    const linked = new Set(links(readme).map((l) => l.target.split('#')[0]));
    expect(PAGES.filter((p) => p.startsWith('docs/') && !linked.has(p))).toEqual([]);
  });
});
