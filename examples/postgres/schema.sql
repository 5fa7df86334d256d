-- The chat service's v1.1 release gates and rollout state, kept in PostgreSQL.
-- examples/postgres.yml reads the gates through public.chat_get_v11_release_gates() and the
-- time series in public.chat_v11_metric_samples, and keeps the rollout state in
-- public.chat_v11_rollout_state, moved only through public.chat_set_v11_rollout_state().
-- Load it with: psql "$DATABASE_URL" -f examples/postgres/schema.sql

-- P0 invariant breaches, one row per event (an ack sent without a write receipt, a duplicated message).
create table if not exists public.chat_v11_invariant_events (
  id bigserial primary key,
  at timestamptz not null default now(),
  kind text not null check (kind in ('ack_without_receipt', 'duplicate_message')),
  track text not null default 'canary'
);

-- Canary metrics, one row per metric per scrape (windowed gates read these as (ts, value)).
create table if not exists public.chat_v11_metric_samples (
  metric text not null,
  ts timestamptz not null,
  value double precision,
  primary key (metric, ts)
);

-- The rollout state: one row per rollout.
create table if not exists public.chat_v11_rollout_state (
  rollout text primary key,
  stage text,
  entered_at timestamptz,
  kill_switch boolean not null default false,
  last_rollback_at timestamptz,
  history jsonb not null default '[]'::jsonb,
  updated_at timestamptz not null default now()
);
-- A pause ({ at, reason, actor } or null): every promotion HOLDs until `resume` clears it.
alter table public.chat_v11_rollout_state add column if not exists paused jsonb;

-- Every change of the rollout state, whoever made it.
create table if not exists public.chat_v11_rollout_audit (
  id bigserial primary key,
  at timestamptz not null default now(),
  from_stage text,
  to_stage text,
  kill_switch boolean not null,
  reason text,
  actor text
);

-- The release gates of the runbook, computed over the last hour:
--   gate_p0_ok  no P0 invariant breach (ack without receipt, duplicate message) in the last hour
--   gate_p1_ok  latest write-receipt p95 under 1500 ms and error rate under 1%
--   rollout_decision  what the runbook would do: proceed, hold or rollback
create or replace function public.chat_get_v11_release_gates()
returns table (
  p0_breaches_1h bigint,
  gate_p0_ok boolean,
  write_receipt_p95_ms double precision,
  error_rate double precision,
  gate_p1_ok boolean,
  rollout_decision text
)
language sql stable
as $$
  with p0 as (
    select count(*) as breaches
    from public.chat_v11_invariant_events
    where track = 'canary' and at > now() - interval '1 hour'
  ),
  latest as (
    select
      (select value from public.chat_v11_metric_samples
        where metric = 'write_receipt_p95_ms' and ts > now() - interval '10 minutes'
        order by ts desc limit 1) as p95,
      (select value from public.chat_v11_metric_samples
        where metric = 'error_rate' and ts > now() - interval '10 minutes'
        order by ts desc limit 1) as err
  )
  select
    p0.breaches,
    p0.breaches = 0,
    latest.p95,
    latest.err,
    coalesce(latest.p95 < 1500 and latest.err < 0.01, false),
    case
      when p0.breaches > 0 then 'rollback'
      when not coalesce(latest.p95 < 1500 and latest.err < 0.01, false) then 'hold'
      else 'proceed'
    end
  from p0, latest
$$;

-- Moves the rollout: the runbook calls it as
--   select * from public.chat_set_v11_rollout_state('canary_10', false, 'promote to 10%');
-- rollout-gate passes its actor and the whole new state document too (entry time, history).
-- Moving to an earlier stage records a rollback.
create or replace function public.chat_set_v11_rollout_state(
  stage text,
  kill_switch boolean,
  reason text,
  actor text default null,
  state jsonb default null
)
returns setof public.chat_v11_rollout_state
language plpgsql volatile
as $$
#variable_conflict use_variable
declare
  stages constant text[] := array['canary_1', 'canary_10', 'canary_50', 'full'];
  prev public.chat_v11_rollout_state%rowtype;
  entered timestamptz := coalesce((state->>'enteredAt')::timestamptz, now());
begin
  if stage is not null and array_position(stages, stage) is null then
    raise exception 'unknown stage %', stage using errcode = '22023';
  end if;
  select * into prev from public.chat_v11_rollout_state s where s.rollout = 'chat-v1.1' for update;
  if not found then
    insert into public.chat_v11_rollout_state (rollout, stage, entered_at, kill_switch, history, paused)
    values ('chat-v1.1', stage, entered, kill_switch, coalesce(state->'history', '[]'::jsonb), nullif(state->'paused', 'null'::jsonb));
  else
    update public.chat_v11_rollout_state s set
      stage = chat_set_v11_rollout_state.stage,
      entered_at = case when s.stage is distinct from chat_set_v11_rollout_state.stage then entered else s.entered_at end,
      kill_switch = chat_set_v11_rollout_state.kill_switch,
      last_rollback_at = case
        when state ? 'lastRollbackAt' then (state->>'lastRollbackAt')::timestamptz
        when coalesce(array_position(stages, chat_set_v11_rollout_state.stage), 0) < coalesce(array_position(stages, s.stage), 0) then now()
        else s.last_rollback_at
      end,
      history = coalesce(state->'history', s.history),
      paused = case when state ? 'paused' then nullif(state->'paused', 'null'::jsonb) else s.paused end,
      updated_at = now()
    where s.rollout = 'chat-v1.1';
  end if;
  insert into public.chat_v11_rollout_audit (from_stage, to_stage, kill_switch, reason, actor)
  values (prev.stage, stage, kill_switch, reason, actor);
  return query select * from public.chat_v11_rollout_state s where s.rollout = 'chat-v1.1';
end
$$;
