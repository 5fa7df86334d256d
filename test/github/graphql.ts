import { schema as published } from '@octokit/graphql-schema';
import { buildClientSchema, execute, GraphQLError, parse, validate, type DocumentNode, type GraphQLFieldResolver, type GraphQLSchema, type IntrospectionQuery, type OperationDefinitionNode } from 'graphql';

/**
 * Validates and runs GraphQL queries against GitHub's published GraphQL schema
 * (@octokit/graphql-schema), so the stand-in refuses what GitHub's schema refuses: unknown
 * fields and types, missing or ill-typed arguments and variables, fragments on the wrong type.
 */

let built: GraphQLSchema | null = null;

/** GitHub's schema, built once from its introspection result (the IDL repeats some fields). */
export function githubSchema(): GraphQLSchema {
  if (built) return built;
  const json = published.json as unknown as { data?: IntrospectionQuery } & IntrospectionQuery;
  built = buildClientSchema(json.data ?? json);
  return built;
}

/** An error GitHub reports with a type, such as NOT_FOUND or FORBIDDEN, beside partial data. */
export class GitHubGraphqlError extends Error {
  constructor(
    readonly type: string,
    message: string,
  ) {
    super(message);
  }
}

export interface GraphqlError {
  type?: string;
  path?: readonly (string | number)[];
  locations?: readonly { line: number; column: number }[];
  message: string;
}

export interface GraphqlRequest {
  query?: unknown;
  variables?: unknown;
  operationName?: unknown;
}

export type GraphqlOutcome =
  /** The schema (or GraphQL itself) refused the request: nothing ran. */
  | { kind: 'invalid'; errors: string[]; body: { errors: GraphqlError[] } }
  /** It ran: data, and errors GitHub would give (typed) or stand-in defects (`defects`). */
  | { kind: 'ran'; operation: OperationDefinitionNode; body: { data: unknown; errors?: GraphqlError[] }; defects: string[] };

function located(e: GraphQLError): GraphqlError {
  return { ...(e.path ? { path: e.path } : {}), ...(e.locations ? { locations: e.locations } : {}), message: e.message };
}

/** Parses and validates a request against GitHub's schema, without running it. */
export function checkGraphql(request: GraphqlRequest): { errors: GraphqlError[]; document: DocumentNode | null; operation: OperationDefinitionNode | null } {
  if (typeof request.query !== 'string' || !request.query.trim()) return { errors: [{ message: 'A query attribute must be specified and must be a string.' }], document: null, operation: null };
  if (request.variables !== undefined && request.variables !== null && (typeof request.variables !== 'object' || Array.isArray(request.variables))) {
    return { errors: [{ message: 'Variables are invalid JSON.' }], document: null, operation: null };
  }
  let document: DocumentNode;
  try {
    document = parse(request.query);
  } catch (e) {
    return { errors: [located(e as GraphQLError)], document: null, operation: null };
  }
  const errors = validate(githubSchema(), document);
  if (errors.length) return { errors: errors.map(located), document, operation: null };
  const ops = document.definitions.filter((d): d is OperationDefinitionNode => d.kind === 'OperationDefinition');
  const name = typeof request.operationName === 'string' ? request.operationName : null;
  const operation = name ? ops.find((o) => o.name?.value === name) : ops.length === 1 ? ops[0] : undefined;
  if (!operation) return { errors: [{ message: name ? `Unknown operation named "${name}".` : 'An operation name is required' }], document, operation: null };
  return { errors: [], document, operation };
}

/**
 * Every field is read from the source object: a function is called with the field's arguments,
 * and a field the stand-in does not model is an error naming it, never a silent null.
 */
const fieldResolver: GraphQLFieldResolver<unknown, unknown> = (source, args, _context, info) => {
  const value = (source as Record<string, unknown>)[info.fieldName];
  if (value === undefined) throw new Error(`stand-in: ${info.parentType.name}.${info.fieldName} is not implemented`);
  return typeof value === 'function' ? (value as (a: unknown) => unknown)(args) : value;
};

/** Validates, then runs the query over `root` (Query's fields as functions of their arguments). */
export async function runGraphql(request: GraphqlRequest, root: Record<string, unknown>): Promise<GraphqlOutcome> {
  const checked = checkGraphql(request);
  if (checked.errors.length || !checked.document || !checked.operation) {
    return { kind: 'invalid', errors: checked.errors.map((e) => e.message), body: { errors: checked.errors } };
  }
  const result = await execute({
    schema: githubSchema(),
    document: checked.document,
    rootValue: root,
    variableValues: (request.variables ?? undefined) as Record<string, unknown> | undefined,
    operationName: typeof request.operationName === 'string' ? request.operationName : undefined,
    fieldResolver,
  });
  // Variables the operation's types refuse: execution never started, as with a validation error.
  if (!('data' in result) || result.data === undefined) {
    const errors = (result.errors ?? []).map(located);
    return { kind: 'invalid', errors: errors.map((e) => e.message), body: { errors } };
  }
  const defects: string[] = [];
  const errors = (result.errors ?? []).map((e) => {
    const original = e.originalError;
    if (original instanceof GitHubGraphqlError) return { type: original.type, ...located(e) };
    defects.push(`${e.path?.join('.') ?? ''}: ${e.message}`);
    return located(e);
  });
  return { kind: 'ran', operation: checked.operation, body: { data: result.data, ...(errors.length ? { errors } : {}) }, defects };
}
