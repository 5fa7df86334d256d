import { readFile, stat } from 'node:fs/promises';
import { isAbsolute, resolve, extname } from 'node:path';
import type { ProviderConfig } from '../config/schema.js';
import { ProviderError, type Provider, type ProviderContext } from './types.js';
import { selectPath, toSamples } from './values.js';

type FileConfig = Extract<ProviderConfig, { type: 'file' }>;

/** A metrics snapshot is kilobytes; a larger file is a mistake (a log, a dump), not gate data. */
export const MAX_FILE_BYTES = 50 * 1024 * 1024;

/** Reads a JSON or YAML document; a gate's `query` is a dotted path to a number, boolean or series. */
export function fileProvider(config: FileConfig, ctx: ProviderContext): Provider {
  const path = isAbsolute(config.path) ? config.path : resolve(ctx.cwd, config.path);
  let doc: Promise<unknown> | null = null;
  // One read per run, shared by every gate.
  const load = () =>
    (doc ??= stat(path).then(
      (info) => {
        if (info.size > MAX_FILE_BYTES) {
          throw new ProviderError(`${config.path}: the file is ${Math.round(info.size / 1024 / 1024)} MB, larger than the ${MAX_FILE_BYTES / 1024 / 1024} MB a file provider reads`);
        }
      },
      () => {}, // readFile names the problem below
    ).then(() => readFile(path, 'utf8')).then(
      async (text) => {
        // The YAML parser loads only for a YAML file.
        const parseYaml = extname(path).toLowerCase() === '.json' ? null : (await import('yaml')).parse;
        try {
          return parseYaml === null ? JSON.parse(text) : parseYaml(text);
        } catch (e) {
          throw new ProviderError(`${config.path}: not valid ${extname(path).toLowerCase() === '.json' ? 'JSON' : 'YAML'}: ${(e as Error).message.split('\n')[0]}`);
        }
      },
      (e: NodeJS.ErrnoException) => {
        if (e instanceof ProviderError) throw e;
        throw new ProviderError(`${config.path}: ${e.code === 'ENOENT' ? 'file not found' : `cannot read (${e.code ?? e.message})`}`);
      },
    ));
  return {
    async query(req) {
      const value = selectPath(await load(), req.query);
      if (value === undefined || value === null) {
        return { samples: [], noDataReason: `${config.path} has no value at "${req.query}"` };
      }
      return { samples: toSamples(value, req.nowMs, `${config.path} at "${req.query}"`) };
    },
  };
}
