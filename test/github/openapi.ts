import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { Ajv, type ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';

/**
 * Validates requests against GitHub's published OpenAPI description (@octokit/openapi), so the
 * stand-in refuses what the description refuses: unknown operations, missing or ill-typed
 * parameters, and JSON bodies outside the operation's schema.
 */

type Json = Record<string, unknown>;

interface Operation {
  validatePath: ValidateFunction;
  validateQuery: ValidateFunction;
  validateBody: ValidateFunction | null;
  bodyRequired: boolean;
}

export interface ValidationResult {
  operation: string | null;
  params: Record<string, string>;
  errors: string[];
}

const require = createRequire(import.meta.url);
const addFormats = addFormatsModule as unknown as (ajv: Ajv) => Ajv;

interface RawOperation {
  parameters?: Json[];
  requestBody?: Json;
}

interface PathEntry {
  method: string;
  template: string;
  multi: boolean;
  literals: number;
}

let loaded: { spec: Json; paths: PathEntry[] } | null = null;
const compiled = new Map<string, Operation>();
let ajv: Ajv | null = null;
let ajvCoerce: Ajv | null = null;

function spec(): { spec: Json; paths: PathEntry[] } {
  if (loaded) return loaded;
  const file = require.resolve('@octokit/openapi/generated/api.github.com.json');
  const doc = JSON.parse(readFileSync(file, 'utf8')) as Json;
  const paths: PathEntry[] = [];
  for (const [template, item] of Object.entries(doc.paths as Json)) {
    for (const [method, op] of Object.entries(item as Json)) {
      if (!['get', 'post', 'put', 'patch', 'delete', 'head'].includes(method)) continue;
      const multi = JSON.stringify((op as RawOperation).parameters ?? []).includes('x-multi-segment');
      const literals = template.split('/').filter((s) => s && !s.startsWith('{')).length;
      paths.push({ method: method.toUpperCase(), template, multi, literals });
    }
  }
  loaded = { spec: doc, paths };
  return loaded;
}

function resolveRef(doc: Json, ref: string): unknown {
  if (!ref.startsWith('#/')) throw new Error(`external $ref not supported: ${ref}`);
  let cur: unknown = doc;
  for (const part of ref.slice(2).split('/')) cur = (cur as Json)[part.replace(/~1/g, '/').replace(/~0/g, '~')];
  return cur;
}

/** Inlines every `$ref`; a reference back into its own chain becomes `{}` (accept anything). */
function inline(doc: Json, node: unknown, chain: string[] = []): unknown {
  if (Array.isArray(node)) return node.map((n) => inline(doc, n, chain));
  if (!node || typeof node !== 'object') return node;
  const obj = node as Json;
  if (typeof obj.$ref === 'string') {
    if (chain.includes(obj.$ref)) return {};
    return inline(doc, resolveRef(doc, obj.$ref), [...chain, obj.$ref]);
  }
  const out: Json = {};
  for (const [k, v] of Object.entries(obj)) {
    if (k === 'example' || k === 'examples' || k === 'description') continue;
    out[k] = inline(doc, v, chain);
  }
  // OpenAPI 3.0 allows `nullable` beside allOf/anyOf without a `type`; JSON Schema spells it as a union.
  if (out.nullable === true && out.type === undefined) {
    delete out.nullable;
    return { anyOf: [out, { type: 'null' }] };
  }
  return out;
}

function ajvs(): { strict: Ajv; coerce: Ajv } {
  if (!ajv) {
    ajv = addFormats(new Ajv({ strict: false, allErrors: true, logger: false, validateFormats: true }));
    ajvCoerce = addFormats(new Ajv({ strict: false, allErrors: true, logger: false, coerceTypes: 'array', validateFormats: true }));
  }
  return { strict: ajv, coerce: ajvCoerce! };
}

function compile(method: string, template: string): Operation {
  const key = `${method} ${template}`;
  const hit = compiled.get(key);
  if (hit) return hit;
  const { spec: doc } = spec();
  const item = (doc.paths as Json)[template] as Json;
  const raw = inline(doc, item[method.toLowerCase()]) as RawOperation;
  const shared = (inline(doc, item.parameters ?? []) as Json[]) ?? [];
  const params = [...shared, ...(raw.parameters ?? [])] as Json[];
  const pathProps: Json = {};
  const pathRequired: string[] = [];
  const queryProps: Json = {};
  const queryRequired: string[] = [];
  for (const p of params) {
    const name = p.name as string;
    const schema = (p.schema as Json) ?? {};
    if (p.in === 'path') {
      pathProps[name] = schema;
      pathRequired.push(name);
    } else if (p.in === 'query') {
      queryProps[name] = schema;
      if (p.required) queryRequired.push(name);
    }
  }
  const { strict, coerce } = ajvs();
  const body = raw.requestBody as Json | undefined;
  const bodySchema = body ? (((body.content as Json)?.['application/json'] as Json)?.schema as Json | undefined) : undefined;
  const op: Operation = {
    validatePath: coerce.compile({ type: 'object', properties: pathProps, required: pathRequired }),
    // Parameters the operation does not declare are refused: GitHub ignores them, so a typo would go unnoticed.
    validateQuery: coerce.compile({ type: 'object', properties: queryProps, required: queryRequired, additionalProperties: false }),
    validateBody: bodySchema ? strict.compile(bodySchema) : null,
    bodyRequired: Boolean(body?.required),
  };
  compiled.set(key, op);
  return op;
}

function match(template: string, rawSegments: string[], multiSegment: boolean): Record<string, string> | null {
  const segs = template.split('/').filter(Boolean);
  const params: Record<string, string> = {};
  for (let i = 0; i < segs.length; i++) {
    const s = segs[i]!;
    const isLast = i === segs.length - 1;
    const raw = rawSegments[i];
    if (raw === undefined) return null;
    if (s.startsWith('{') && s.endsWith('}')) {
      const name = s.slice(1, -1);
      if (isLast && multiSegment) {
        params[name] = rawSegments.slice(i).map(decodeURIComponent).join('/');
        return params;
      }
      if (raw === '') return null;
      params[name] = decodeURIComponent(raw);
    } else if (s !== raw) {
      return null;
    }
  }
  return rawSegments.length === segs.length ? params : null;
}

const formatErrors = (where: string, v: ValidateFunction) =>
  (v.errors ?? []).map((e) => `${where}${e.instancePath || ''} ${e.message ?? 'is invalid'}${e.params && 'additionalProperty' in e.params ? ` (${String(e.params.additionalProperty)})` : ''}${e.params && 'allowedValues' in e.params ? ` (${JSON.stringify(e.params.allowedValues)})` : ''}`);

/** Matches a request to one operation of the description and validates it. */
export function validateRequest(method: string, pathname: string, query: URLSearchParams, body: unknown, hasBody: boolean): ValidationResult {
  const { paths } = spec();
  const rawSegments = pathname.split('/').filter((s, i, all) => s !== '' || (i > 0 && i === all.length - 1));
  const candidates: { template: string; params: Record<string, string>; literals: number }[] = [];
  for (const p of paths) {
    if (p.method !== method) continue;
    const params = match(p.template, rawSegments, p.multi);
    if (params) candidates.push({ template: p.template, params, literals: p.literals });
  }
  if (candidates.length === 0) return { operation: null, params: {}, errors: [`${method} ${pathname} is not an operation of GitHub's REST API`] };
  candidates.sort((a, b) => b.literals - a.literals);
  const best = candidates[0]!;
  const op = compile(method, best.template);
  const errors: string[] = [];
  const pathValues: Json = { ...best.params };
  if (!op.validatePath(pathValues)) errors.push(...formatErrors('path', op.validatePath));
  const queryValues: Json = {};
  for (const [k, v] of query) queryValues[k] = v;
  if (!op.validateQuery(queryValues)) errors.push(...formatErrors('query', op.validateQuery));
  if (op.validateBody) {
    if (!hasBody) {
      if (op.bodyRequired) errors.push('body is required');
    } else if (!op.validateBody(body)) {
      errors.push(...formatErrors('body', op.validateBody));
    }
  } else if (hasBody && method !== 'GET') {
    errors.push('this operation takes no request body');
  }
  return { operation: `${method} ${best.template}`, params: best.params, errors };
}

const responseValidators = new Map<string, ValidateFunction | null>();

/**
 * Checks an answer of the stand-in against the operation's documented response, so the code
 * under test only relies on what GitHub promises to send.
 */
export function validateResponse(operation: string, status: number, data: unknown): string[] {
  const key = `${operation} ${status}`;
  let v = responseValidators.get(key);
  if (v === undefined) {
    const schema = responseSchema(operation, status);
    v = schema ? ajvs().strict.compile(schema) : null;
    responseValidators.set(key, v);
  }
  if (!v) return [];
  return v(data) ? [] : formatErrors('response', v);
}

const responseSchemas = new Map<string, Json | null>();

function responseSchema(operation: string, status: number): Json | null {
  const key = `${operation} ${status}`;
  if (responseSchemas.has(key)) return responseSchemas.get(key)!;
  const { spec: doc } = spec();
  const [method, template] = operation.split(' ') as [string, string];
  const op = ((doc.paths as Json)[template] as Json)[method.toLowerCase()] as Json;
  const r = (inline(doc, op.responses) as Json)[String(status)] as Json | undefined;
  const schema = (((r?.content as Json | undefined)?.['application/json'] as Json | undefined)?.schema as Json | undefined) ?? null;
  responseSchemas.set(key, schema);
  return schema;
}

const typeOf = (v: unknown) => (v === null ? 'null' : Array.isArray(v) ? 'array' : typeof v === 'number' ? 'number' : typeof v);

/** A placeholder for a property GitHub always sends but the stand-in has no opinion about. */
function placeholder(schema: Json): unknown {
  if (schema.nullable || ((schema.anyOf ?? schema.oneOf) as Json[] | undefined)?.some((b) => b.type === 'null')) return null;
  if (Array.isArray(schema.enum)) return schema.enum[0];
  const branch = ((schema.allOf ?? schema.anyOf ?? schema.oneOf) as Json[] | undefined)?.[0];
  if (branch && !schema.type) return complete(branch, undefined);
  switch (schema.type) {
    case 'string':
      return schema.format === 'uri' ? 'https://api.github.com/placeholder' : schema.format === 'date-time' ? '2026-01-01T00:00:00Z' : schema.format === 'email' ? 'noreply@github.com' : '';
    case 'integer':
    case 'number':
      return 0;
    case 'boolean':
      return false;
    case 'array':
      return [];
    case 'object':
      return complete(schema, {});
    default:
      return null;
  }
}

/** Adds every property the schema requires and the data lacks, recursively. */
function complete(schema: Json | undefined, data: unknown): unknown {
  if (!schema) return data;
  if (data === undefined) return placeholder(schema);
  for (const k of ['allOf', 'anyOf', 'oneOf'] as const) {
    const branches = schema[k] as Json[] | undefined;
    if (!branches) continue;
    if (k === 'allOf') return branches.reduce<unknown>((acc, b) => complete(b, acc), data);
    const fit = branches.find((b) => b.type === typeOf(data) || (b.type === 'integer' && typeOf(data) === 'number') || (!b.type && typeOf(data) === 'object')) ?? branches[0]!;
    return complete(fit, data);
  }
  if (Array.isArray(data)) return schema.items ? data.map((d) => complete(schema.items as Json, d)) : data;
  if (data && typeof data === 'object') {
    const out: Json = { ...(data as Json) };
    const props = (schema.properties as Json | undefined) ?? {};
    for (const req of (schema.required as string[] | undefined) ?? []) if (!(req in out)) out[req] = placeholder((props[req] as Json) ?? {});
    for (const [k, v] of Object.entries(out)) if (props[k]) out[k] = complete(props[k] as Json, v);
    return out;
  }
  return data;
}

/** The stand-in's answer with every property GitHub documents as always present filled in. */
export function completeResponse(operation: string, status: number, data: unknown): unknown {
  const schema = responseSchema(operation, status);
  return schema ? complete(schema, data) : data;
}
