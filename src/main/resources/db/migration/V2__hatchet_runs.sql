-- Runs Hatchet executes are kept here too: the API writes them first (so none is lost when Hatchet is
-- briefly unreachable), a relay hands them to Hatchet, and the bridge records every step as it runs.
alter table workflow_runs add column engine text not null default 'embedded' check (engine in ('embedded', 'hatchet'));
-- Hatchet's id of the run, once known (answer to a trigger, or the first step's workflow_run_id).
alter table workflow_runs add column external_id text;
-- When the relay handed the run to Hatchet (null: not yet).
alter table workflow_runs add column dispatched_at timestamptz;

create unique index workflow_runs_external_idx on workflow_runs (external_id) where external_id is not null;
create index workflow_runs_undispatched_idx on workflow_runs (created_at)
    where engine = 'hatchet' and dispatched_at is null;

-- A run a Hatchet user cancelled ends 'cancelled'.
alter table workflow_runs drop constraint workflow_runs_status_check;
alter table workflow_runs add constraint workflow_runs_status_check
    check (status in ('queued', 'running', 'succeeded', 'failed', 'cancelled'));
