import { randomUUID } from 'node:crypto';
import { appendFileSync, existsSync } from 'node:fs';
import { EOL } from 'node:os';

/**
 * The runner's side of a JavaScript action: inputs from `INPUT_<NAME>`, workflow commands on
 * stdout (`::error::`, `::add-mask::`, …) and the environment files (GITHUB_OUTPUT,
 * GITHUB_STEP_SUMMARY), as GitHub documents them and @actions/core writes them. The few calls the
 * Action makes are here instead of @actions/core, whose import chain (an HTTP client with undici,
 * for OIDC tokens this Action never asks for) took 45 ms of every step's start.
 */

/** Data of a workflow command: the runner reads %, CR and LF as escapes. */
function escapeData(s: string): string {
  return s.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

function command(name: string, message: string): void {
  process.stdout.write(`::${name}::${escapeData(message)}${EOL}`);
}

/** An input as the runner passes it: spaces become underscores, hyphens stay; trimmed. */
export function getInput(name: string): string {
  return (process.env[`INPUT_${name.replace(/ /g, '_').toUpperCase()}`] ?? '').trim();
}

export function info(message: string): void {
  process.stdout.write(`${message}${EOL}`);
}

export function debug(message: string): void {
  command('debug', message);
}

export function warning(message: string): void {
  command('warning', message);
}

/** Masks the value in the rest of the job's log. */
export function setSecret(value: string): void {
  command('add-mask', value);
}

/** Fails the step: an error annotation and exit code 1. */
export function setFailed(message: string): void {
  process.exitCode = 1;
  command('error', message);
}

function environmentFile(variable: string): string {
  const path = process.env[variable];
  if (!path) throw new Error(`${variable} is not set: this must run as a step of a GitHub Actions job`);
  if (!existsSync(path)) throw new Error(`${variable} names a file that does not exist: ${path}`);
  return path;
}

/** An output in GITHUB_OUTPUT: a `name<<delimiter` block; the delimiter is random, so no value can end it early. */
export function setOutput(name: string, value: string): void {
  const delimiter = `ghadelimiter_${randomUUID()}`;
  if (name.includes(delimiter) || value.includes(delimiter)) throw new Error(`output ${name}: the value contains its own delimiter`);
  appendFileSync(environmentFile('GITHUB_OUTPUT'), `${name}<<${delimiter}${EOL}${value}${EOL}${delimiter}${EOL}`, 'utf8');
}

/** Appends Markdown to the job summary. */
export function appendSummary(markdown: string): void {
  appendFileSync(environmentFile('GITHUB_STEP_SUMMARY'), `${markdown}${EOL}`, 'utf8');
}
