/** Query parameters whose values are credentials (`?api_key=…`, `?token=…`, `?X-Amz-Signature=…`). */
const SECRET_PARAM = /(^|[-_.])(token|key|apikey|secret|password|passwd|pass|pwd|auth|authorization|sig|signature|credential|credentials|session|code)$|^(access|api|app|client|private)[-_]?(token|key|secret)$/i;

/** Both forms a URL part can appear in: as written (percent-encoded) and decoded. */
function forms(raw: string): string[] {
  try {
    const decoded = decodeURIComponent(raw);
    return decoded === raw ? [raw] : [raw, decoded];
  } catch {
    return [raw];
  }
}

/**
 * The values to keep out of messages for a secret read from the environment. A value that is not
 * a URL is secret as a whole. A URL's secret parts are its user name and password and the values
 * of credential-like query parameters; the URL as a whole stays secret too when it has a path, a
 * query or a fragment (a webhook's path is its key), but a bare endpoint (`http://prom.internal:9090`)
 * is not: "cannot reach http://prom.internal:9090" must name the host it could not reach. A host
 * that is itself a secret (`https://${HOST}/`) is still masked, being a secret value of its own.
 */
export function urlSecretForms(value: string): string[] {
  if (!/^[a-z][a-z0-9+.-]*:\/\//i.test(value)) return [value];
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return [value];
  }
  const parts = new Set<string>();
  for (const p of [url.username, url.password]) if (p) for (const f of forms(p)) parts.add(f);
  for (const [name, v] of url.searchParams) {
    if (v.length >= 3 && SECRET_PARAM.test(name)) {
      parts.add(v);
      parts.add(encodeURIComponent(v));
    }
  }
  // The credentials in it are masked on their own, wherever they show.
  const bare = (url.pathname === '/' || url.pathname === '') && !url.search && !url.hash;
  if (!bare) parts.add(value);
  return [...parts].filter((p) => p.length >= 3);
}
