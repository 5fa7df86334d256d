// Renders the reviewed PR comment (test/golden/comment-rollback.md) as GitHub shows it and saves
// a picture of it for the docs: GitHub-flavoured Markdown to HTML (marked), GitHub's Markdown
// styles (github-markdown-css), and a screenshot by headless Chromium.
// Usage: node scripts/comment-picture.mjs [source.md] [out.png]
// Needs chromium on PATH (Debian: apt-get install -y chromium fonts-noto-color-emoji).
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { marked } from 'marked';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const source = process.argv[2] ?? join(root, 'test/golden/comment-rollback.md');
const out = process.argv[3] ?? join(root, 'docs/images/comment.png');
const require = createRequire(import.meta.url);
const css = readFileSync(require.resolve('github-markdown-css/github-markdown-light.css'), 'utf8');

const markdown = readFileSync(source, 'utf8');
const body = marked.parse(markdown, { gfm: true, async: false });
// The box of a GitHub comment: its width, border and header line, GitHub's Markdown styles inside.
const html = `<!doctype html>
<html><head><meta charset="utf-8"><style>
${css}
body { margin: 0; background: #fff; font-family: -apple-system, "Segoe UI", "Noto Sans", Helvetica, Arial, sans-serif; }
.comment { width: 860px; margin: 16px; border: 1px solid #d0d7de; border-radius: 6px; }
.comment header { background: #f6f8fa; border-bottom: 1px solid #d0d7de; padding: 8px 16px; font-size: 14px; color: #57606a; border-radius: 6px 6px 0 0; }
.comment header b { color: #1f2328; }
.markdown-body { padding: 16px; font-size: 14px; }
.markdown-body table { font-size: 13px; }
</style></head><body>
<div class="comment"><header><b>github-actions</b> <span>bot</span> commented</header>
<article class="markdown-body">${body}</article></div>
</body></html>`;

const dir = mkdtempSync(join(tmpdir(), 'comment-picture-'));
try {
  const page = join(dir, 'comment.html');
  writeFileSync(page, html);
  const chromium = process.env.CHROMIUM ?? 'chromium';
  const height = Number(process.env.PICTURE_HEIGHT ?? 915);
  execFileSync(chromium, [
    '--headless',
    '--no-sandbox',
    '--disable-gpu',
    '--hide-scrollbars',
    '--force-device-scale-factor=1',
    `--window-size=900,${height}`,
    `--screenshot=${out}`,
    pathToFileURL(page).href,
  ], { stdio: ['ignore', 'ignore', 'pipe'] });
  process.stdout.write(`wrote ${out} from ${source}\n`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
