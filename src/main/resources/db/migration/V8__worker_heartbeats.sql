-- Every worker process (embedded or Hatchet) says it is alive here every few seconds, so that the API
-- process, which runs no steps, can list the workers, their slots and when it last heard from them.
create table worker_heartbeats (
    name         text primary key,
    engine       text not null check (engine in ('embedded', 'hatchet')),
    slots        int not null,
    slots_in_use int not null default 0,
    started_at   timestamptz not null default now(),
    heartbeat_at timestamptz not null default now()
);

-- The console lists recent runs newest first.
create index workflow_runs_created_idx on workflow_runs (created_at desc);
