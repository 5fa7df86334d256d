import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SqlParameterError, toPositional } from '../../src/transport/sql-parameters.js';
import { WRITE_PARAMETERS } from '../../src/state/postgres.js';

const allowed = WRITE_PARAMETERS;

describe('named parameters in the state write statement', () => {
  it.each([
    ['select * from public.chat_set_v11_rollout_state(:stage, :killSwitch, :reason)', 'select * from public.chat_set_v11_rollout_state($1, $2, $3)', ['stage', 'killSwitch', 'reason']],
    ['update t set doc = :state::jsonb where stage is distinct from :stage', 'update t set doc = $1::jsonb where stage is distinct from $2', ['state', 'stage']],
    ["select f(:stage, ':stage is text', 'it''s :reason')", "select f($1, ':stage is text', 'it''s :reason')", ['stage']],
    ["select E'\\' :stage', :reason", "select E'\\' :stage', $1", ['reason']],
    ['select "col:stage", :actor', 'select "col:stage", $1', ['actor']],
    ['select $$ :stage $$, $body$ :reason $body$, :decision', 'select $$ :stage $$, $body$ :reason $body$, $1', ['decision']],
    ['select :stage -- :reason here\n, :actor', 'select $1 -- :reason here\n, $2', ['stage', 'actor']],
    ['select /* outer /* :reason */ still :reason */ :stage', 'select /* outer /* :reason */ still :reason */ $1', ['stage']],
    ['select :stage, :stage, :reason', 'select $1, $1, $2', ['stage', 'reason']],
    ['select x::text, :stage::text, a[1:2]', 'select x::text, $1::text, a[1:2]', ['stage']],
    ['select a$b, :stage', 'select a$b, $1', ['stage']],
    ['select 1', 'select 1', []],
  ])('%s', (sql, text, names) => {
    expect(toPositional(sql, allowed)).toEqual({ text, names });
  });

  it('refuses a name it does not know, so a typo never binds NULL', () => {
    expect(() => toPositional('select f(:stage, :kill_switch)', allowed)).toThrow(SqlParameterError);
    expect(() => toPositional('select f(:stage, :kill_switch)', allowed)).toThrow(/unknown parameter :kill_switch/);
  });

  it('refuses positional $1 mixed into the statement', () => {
    expect(() => toPositional('select f($1, :stage)', allowed)).toThrow(/positional parameter \$1/);
  });

  // A statement built from pieces: parameters, casts, and text that must never be touched.
  const literalText = fc.string({ unit: 'grapheme-ascii', maxLength: 12 }).map((s) => s.replace(/[\n]/g, ' '));
  const piece = fc.oneof(
    fc.constantFrom(...allowed).map((n) => ({ sql: `:${n}`, param: n })),
    fc.constantFrom('select', ' ', ',', '(', ')', '=', 'x', 'tbl.col', '1', '::int', '::jsonb', '[1:3]', '\n').map((s) => ({ sql: s, param: null })),
    literalText.map((s) => ({ sql: `'${s.replace(/'/g, "''")}'`, param: null })),
    literalText.map((s) => ({ sql: `"${s.replace(/"/g, '""')}"`, param: null })),
    literalText.map((s) => ({ sql: `$q$${s.replace(/\$/g, '.')}$q$`, param: null })),
    literalText.map((s) => ({ sql: `/*${s.replace(/[/*]/g, '.')}*/`, param: null })),
    literalText.map((s) => ({ sql: `--${s}\n`, param: null })),
  );
  // Pieces are separated by a space so that neighbours never fuse into a different token.
  const statement = fc.array(piece, { maxLength: 25 });

  it('binds exactly the placeholders outside quotes and comments, first use first', () => {
    fc.assert(
      fc.property(statement, (pieces) => {
        const sql = pieces.map((p) => p.sql).join(' ');
        const { text, names } = toPositional(sql, allowed);
        const expected = [...new Set(pieces.flatMap((p) => (p.param ? [p.param] : [])))];
        expect(names).toEqual(expected);
        // Putting the names back gives the statement as written: nothing else was rewritten.
        const rebuilt = pieces.map((p) => (p.param ? `$${expected.indexOf(p.param) + 1}` : p.sql)).join(' ');
        expect(text).toBe(rebuilt);
      }),
      { numRuns: 500 },
    );
  });
});
