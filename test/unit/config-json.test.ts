/**
 * A config that is JSON is read without the YAML parser, whatever its file name, and held to
 * the same rules as YAML (a repeated key is an error); the YAML parser loads for YAML only.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig, parseConfig } from '../../src/config/load.js';
import { ConfigError } from '../../src/config/errors.js';
import { duplicateKey, looksLikeJson } from '../../src/config/json-text.js';
import { yieldingProperty } from '../support/property.js';

const CONFIG = {
  version: 1,
  rollout: { name: 'demo', stages: [{ name: 'canary', traffic: 5, minDuration: '1h30m' }, { name: 'full', traffic: 100 }] },
  providers: { m: { type: 'file', path: 'metrics.json' } },
  gates: [{ name: 'err', provider: 'm', query: 'err', pass: '< 1', over: '30m' }],
};

const yamlLoaded = () => Object.keys(createRequire(import.meta.url).cache).some((k) => k.includes(`${'/node_modules/yaml/'}`));

function issuesOf(text: string, file: string): readonly { path: string; message: string }[] {
  try {
    parseConfig(text, file, {});
  } catch (e) {
    if (e instanceof ConfigError) return e.issues;
    throw e;
  }
  return [];
}

describe('a JSON config', () => {
  it('loads without the YAML parser, named .json or .yml; a YAML config loads it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'rg-json-'));
    try {
      const text = JSON.stringify(CONFIG, null, 2);
      writeFileSync(join(dir, 'c.json'), text);
      writeFileSync(join(dir, 'rollout-gate.yml'), `\n${text}`);
      writeFileSync(join(dir, 'flow.yml'), `# a comment: not JSON\n${text}`);
      expect(yamlLoaded()).toBe(false);
      const a = await loadConfig(join(dir, 'c.json'), {});
      const b = await loadConfig(join(dir, 'rollout-gate.yml'), {});
      expect(yamlLoaded()).toBe(false);
      expect(b.gates).toEqual(a.gates);
      expect(b.rollout).toEqual(a.rollout);
      // The same text as YAML (JSON is YAML): the same config.
      const c = await loadConfig(join(dir, 'flow.yml'), {});
      expect(yamlLoaded()).toBe(true);
      expect(c.gates).toEqual(a.gates);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('a repeated key is refused with its path and line, as YAML refuses it', () => {
    const text = '{\n  "version": 1,\n  "rollout": { "name": "a", "stages": [{ "name": "c", "traffic": 1, "traffic": 5 }] },\n  "gates": []\n}\n';
    expect(issuesOf(text, 'c.yml')).toEqual([{ path: 'rollout.stages[0].traffic', message: 'line 3: the key "traffic" appears twice in one mapping (keys must be unique)' }]);
    expect(issuesOf(text, 'c.json')).toEqual(issuesOf(text, 'c.yml'));
  });

  it('property: duplicateKey finds a repeat exactly when JSON.parse would drop a key', async () => {
    const key = fc.constantFrom('a', 'b', 'c', 'a\\"', 'é', 'a\\u0062');
    const json: fc.Arbitrary<string> = fc.letrec<{ v: string }>((tie) => ({
      v: fc.oneof(
        { depthSize: 'small' },
        fc.constantFrom('1', '"x"', 'null', '"{[,]}"'),
        fc.array(tie('v'), { maxLength: 3 }).map((xs) => `[${xs.join(', ')}]`),
        fc.array(fc.tuple(key, tie('v')), { maxLength: 4 }).map((kvs) => `{${kvs.map(([k, v]) => `"${k}": ${v}`).join(',\n')}}`),
      ),
    })).v;
    await fc.assert(
      yieldingProperty(json, (text) => {
        // Keys kept by JSON.parse against key tokens written (a string value is never followed by a colon).
        let kept = 0;
        const walk = (v: unknown) => {
          if (Array.isArray(v)) v.forEach(walk);
          else if (v && typeof v === 'object') {
            kept += Object.keys(v).length;
            Object.values(v).forEach(walk);
          }
        };
        walk(JSON.parse(text));
        const written = (text.match(/"(?:[^"\\]|\\.)*"\s*:/g) ?? []).length;
        expect(duplicateKey(text) !== null).toBe(written !== kept);
      }),
      { numRuns: 300 },
    );
  });

  it.each([
    ['{"a": 1}', true],
    ['\ufeff  \n\t{', true],
    ['version: 1', false],
    ['# {', false],
    ['', false],
    ['[1]', false],
  ])('looksLikeJson(%j) = %j', (text, expected) => {
    expect(looksLikeJson(text)).toBe(expected);
  });
});
