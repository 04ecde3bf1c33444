-- Attempts whose worker died (or lost its lease) while the step ran: they count against the step's
-- retries like failed ones, and the error a user reads says how often the worker stopped.
alter table workflow_steps add column lost_attempts int not null default 0;
