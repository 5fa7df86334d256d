import { z } from 'zod';
import { durationError, parseDuration, parseLag } from '../engine/duration.js';

/**
 * The building blocks of the config schema that provider modules share with it: each provider's
 * own schema lives in its module (src/providers/modules/), built from these.
 */

/** Strict objects everywhere: a typo must be an error, never a silently ignored key. */
export const obj = z.strictObject;

export const duration = z
  .string()
  .superRefine((s, ctx) => {
    if (parseDuration(s) === null) ctx.addIssue({ code: 'custom', message: durationError(s) });
  })
  .describe('A duration: whole numbers followed by d, h, m or s, largest unit first (30s, 5m, 2h30m, 1d).');

export const headers = z.record(z.string(), z.string());
/** `localhost:9090` parses as a URL with the scheme "localhost:"; only http(s) reaches a server. */
export const httpUrl = z.url({ protocol: /^https?$/, error: 'expected an http:// or https:// URL' });
export const basicAuth = obj({ username: z.string(), password: z.string() });
export const retries = z.number().int().min(0).max(10);
export const postgresUrl = z.string().regex(/^postgres(ql)?:\/\//, 'expected a postgres:// connection URL');
export const pgSsl = z.union([z.boolean(), obj({ rejectUnauthorized: z.boolean().optional(), caFile: z.string().optional() })]);
export const lagDuration = z
  .string()
  .refine((s) => parseLag(s) !== null, { message: 'expected a duration like "30s", "1m" or "2m", or "0s" for none' });
export const lag = lagDuration.optional().describe('The judged window ends this long before now: the store\'s newest data is incomplete until then (default: the provider type\'s, see docs/configuration.md).');

/** A server reached over HTTP(S) with its own credentials and TLS settings (Prometheus, Alertmanager). */
export const serverEndpoint = {
  url: httpUrl,
  headers: headers.optional(),
  basicAuth: basicAuth.optional(),
  timeout: duration.optional(),
  caFile: z.string().optional(),
  insecureSkipVerify: z.boolean().optional(),
  retries: retries.optional(),
};
