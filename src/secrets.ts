/** Values shorter than this are not masked (and not checked against names): they would mask half of every text. */
export const MIN_SECRET_LENGTH = 3;

/**
 * The forms of a secret that are masked: as written, percent-encoded (URLs) and base64 (basic
 * auth headers echoed back by errors). None for a value under MIN_SECRET_LENGTH. One rule, used
 * by the redactor and by the config check that no secret is part of a name.
 */
export function secretForms(value: string): string[] {
  if (value.length < MIN_SECRET_LENGTH) return [];
  return [...new Set([value, encodeURIComponent(value), Buffer.from(value).toString('base64')])];
}

/** Replaces every known secret value in a text; every message that leaves the process goes through it. */
export class Redactor {
  private values: string[] = [];
  private onAdd: ((value: string) => void) | null;
  /** Lists holding only numbers and [number, number] pairs: nothing in them can be a secret. */
  private series = new WeakSet<object>();

  constructor(values: Iterable<string> = [], onAdd: ((value: string) => void) | null = null) {
    this.onAdd = onAdd;
    for (const v of values) this.add(v);
  }

  add(value: string | null | undefined): void {
    if (!value || value.length < MIN_SECRET_LENGTH || this.values.includes(value)) return;
    for (const form of secretForms(value)) if (!this.values.includes(form)) this.values.push(form);
    this.values.sort((a, b) => b.length - a.length);
    this.onAdd?.(value);
  }

  redact(text: string): string {
    let out = text;
    for (const v of this.values) if (out.includes(v)) out = out.split(v).join('***');
    // Credentials inside URLs we were not told about.
    return out.replace(/(\b[a-z][a-z0-9+.-]*:\/\/)([^/@\s:]+):([^/@\s]+)@/gi, '$1$2:***@');
  }

  /** Redacts every string inside a JSON-like value; unchanged parts are shared, not copied. */
  redactDeep<T>(value: T): T {
    if (typeof value === 'string') return this.redact(value) as T;
    if (Array.isArray(value)) {
      // A series already checked (gates that read one series share its list) is not walked again.
      if (this.series.has(value)) return value;
      let copy: unknown[] | null = null;
      let numbersOnly = true;
      for (let i = 0; i < value.length; i++) {
        const v: unknown = value[i];
        if (v === null || (typeof v !== 'object' && typeof v !== 'string') || isNumericPair(v)) continue;
        numbersOnly = false;
        const r = this.redactDeep(v);
        if (r !== v) (copy ??= [...value])[i] = r;
      }
      if (numbersOnly) this.series.add(value);
      return (copy ?? value) as T;
    }
    if (value && typeof value === 'object') {
      let copy: Record<string, unknown> | null = null;
      for (const [k, v] of Object.entries(value)) {
        if (v === null || (typeof v !== 'object' && typeof v !== 'string')) continue;
        const r = this.redactDeep(v);
        if (r !== v) (copy ??= { ...(value as Record<string, unknown>) })[k] = r;
      }
      return (copy ?? value) as T;
    }
    return value;
  }

  get size(): number {
    return this.values.length;
  }
}

/** A series sample, `[unixSeconds, number | boolean]`: nothing in it to redact (series are long). */
function isNumericPair(v: unknown): boolean {
  return Array.isArray(v) && v.length === 2 && typeof v[0] === 'number' && (typeof v[1] === 'number' || typeof v[1] === 'boolean');
}
