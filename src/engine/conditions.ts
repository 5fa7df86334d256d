/**
 * The condition grammar of `pass` and `thresholds`: `<op> <operand>`, where op is one of
 * `< <= > >= == !=` and the operand is a number, `true`, `false`, or `+N%` / `-N%`
 * (relative to the gate's baseline value).
 */
export type Operator = '<' | '<=' | '>' | '>=' | '==' | '!=';

export type Operand =
  | { kind: 'number'; value: number }
  | { kind: 'boolean'; value: boolean }
  | { kind: 'relative'; percent: number };

export interface Condition {
  op: Operator;
  operand: Operand;
  text: string;
}

export type Value = number | boolean;

const CONDITION = /^(<=|>=|==|!=|<|>)\s*(\S+)$/;
const NUMBER = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/;
const RELATIVE = /^([+-])(\d+(\.\d*)?|\.\d+)%$/;

export class ConditionSyntaxError extends Error {}

export function parseCondition(text: string): Condition {
  const trimmed = text.trim();
  const m = CONDITION.exec(trimmed);
  if (!m) {
    throw new ConditionSyntaxError(
      `"${text}" is not a condition; expected "<op> <operand>" with op one of < <= > >= == != (e.g. "< 0.01", "== true", "<= +10%")`,
    );
  }
  const op = m[1] as Operator;
  const raw = m[2]!;
  let operand: Operand;
  if (raw === 'true' || raw === 'false') {
    if (op !== '==' && op !== '!=') {
      throw new ConditionSyntaxError(`"${text}": true/false can only be compared with == or !=`);
    }
    operand = { kind: 'boolean', value: raw === 'true' };
  } else if (RELATIVE.test(raw)) {
    const r = RELATIVE.exec(raw)!;
    const pct = Number(r[2]) * (r[1] === '-' ? -1 : 1);
    operand = { kind: 'relative', percent: pct };
  } else if (NUMBER.test(raw)) {
    operand = { kind: 'number', value: Number(raw) };
  } else {
    throw new ConditionSyntaxError(
      `"${text}": operand "${raw}" is not a number, true, false, or a relative +N% / -N%`,
    );
  }
  return { op, operand, text: `${op} ${raw}` };
}

export function isRelative(c: Condition): boolean {
  return c.operand.kind === 'relative';
}

/** The number a condition compares against, given the baseline value for relative operands. */
export function resolveOperand(c: Condition, baseline: number | null): number | boolean | null {
  switch (c.operand.kind) {
    case 'number':
    case 'boolean':
      return c.operand.value;
    case 'relative':
      if (baseline === null || !Number.isFinite(baseline)) return null;
      // One rounding, not two: 100 at +10% is exactly 110 (100 × 1.1 would be 110.00000000000001).
      return (baseline * (100 + c.operand.percent)) / 100;
  }
}

function compare(op: Operator, a: number, b: number): boolean {
  switch (op) {
    case '<': return a < b;
    case '<=': return a <= b;
    case '>': return a > b;
    case '>=': return a >= b;
    case '==': return a === b;
    case '!=': return a !== b;
  }
}

/**
 * Whether `value` satisfies the condition. Booleans compare as 1/0 so a SQL boolean and a
 * Prometheus 0/1 gauge both meet "== true". Returns null when a relative condition has no
 * usable baseline.
 */
export function holds(c: Condition, value: Value, baseline: number | null): boolean | null {
  const operand = resolveOperand(c, baseline);
  if (operand === null) return null;
  const a = typeof value === 'boolean' ? (value ? 1 : 0) : value;
  const b = typeof operand === 'boolean' ? (operand ? 1 : 0) : operand;
  if (Number.isNaN(a)) return null;
  return compare(c.op, a, b);
}

export function describeConditions(conds: readonly Condition[]): string {
  return conds.map((c) => c.text).join(' and ');
}
