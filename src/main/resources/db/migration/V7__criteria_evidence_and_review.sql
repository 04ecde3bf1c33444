-- Each criteria version keeps where every value was read (evidence, keyed by field path) and what its
-- reader warned about. Versions written before this have neither.
alter table lender_criteria add column evidence jsonb not null default '{}';
alter table lender_criteria add column warnings jsonb not null default '[]';

-- A lender whose current criteria were read with warnings waits for an operator's review since this time;
-- null when there is nothing to review (or an operator approved or corrected the criteria).
alter table lenders add column review_requested_at timestamptz;
create index lenders_review_idx on lenders (review_requested_at) where review_requested_at is not null;

-- Whether the lender's criteria were awaiting review when the match was made.
alter table matches add column review_required boolean not null default false;
