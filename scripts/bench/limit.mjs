// The physical limit of an `evaluate` run, for the benchmark: read and parse the same config and
// metrics files, pick each gate's series, write them all to one JSON file (the evidence a run
// must keep), and nothing else. No validation, no decision, no report.
// usage: node limit.mjs CONFIG OUT
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, isAbsolute, resolve } from 'node:path';

const [file, out] = process.argv.slice(2);
const text = readFileSync(file, 'utf8');
const config = file.endsWith('.json') ? JSON.parse(text) : (await import('yaml')).parse(text);
const docs = new Map();
const series = {};
for (const gate of config.gates) {
  const p = config.providers[gate.provider].path;
  const path = isAbsolute(p) ? p : resolve(dirname(file), p);
  if (!docs.has(path)) docs.set(path, JSON.parse(readFileSync(path, 'utf8')));
  series[gate.name] = docs.get(path)[gate.query];
}
writeFileSync(out, JSON.stringify(series));
