-- Lenders and the documents their criteria are read from.
create table lenders (
    id               bigserial primary key,
    name             text not null,
    status           text not null check (status in ('pending', 'processing', 'active', 'inactive', 'failed')),
    criteria         jsonb,
    criteria_source  text check (criteria_source in ('rules', 'llm', 'llm+rules', 'manual')),
    criteria_version int not null default 0,
    document_id      bigint,
    last_run_id      uuid,
    error            text,
    created_at       timestamptz not null default now(),
    updated_at       timestamptz not null default now()
);
create unique index lenders_name_key on lenders (lower(name));
create index lenders_status_idx on lenders (status);

create table documents (
    id           bigserial primary key,
    lender_id    bigint references lenders (id),
    kind         text not null check (kind in ('lender', 'application')),
    file_name    text not null,
    content_type text not null,
    sha256       text not null,
    size_bytes   int not null,
    content      bytea not null,
    created_at   timestamptz not null default now()
);
-- One stored copy per document content and owner: an upload repeated is the same document.
create unique index documents_lender_sha_key on documents (kind, coalesce(lender_id, 0), sha256);
alter table lenders add constraint lenders_document_fk foreign key (document_id) references documents (id);

-- The text of each page and how it was obtained (text layer or OCR).
create table document_pages (
    document_id bigint not null references documents (id),
    page_number int not null,
    method      text not null check (method in ('text', 'ocr')),
    text        text not null,
    primary key (document_id, page_number)
);

-- Every version of a lender's criteria; a run writes at most one.
create table lender_criteria (
    lender_id  bigint not null references lenders (id),
    version    int not null,
    criteria   jsonb not null,
    source     text not null,
    run_id     uuid,
    created_at timestamptz not null default now(),
    primary key (lender_id, version)
);
create unique index lender_criteria_run_key on lender_criteria (lender_id, run_id);

-- Loan applications and their match results, one row per application and lender.
create table applications (
    id          bigserial primary key,
    status      text not null check (status in ('pending', 'matching', 'matched', 'failed')),
    application jsonb,
    source      text not null check (source in ('json', 'pdf')),
    document_id bigint references documents (id),
    last_run_id uuid,
    error       text,
    created_at  timestamptz not null default now(),
    matched_at  timestamptz
);

create table matches (
    application_id   bigint not null references applications (id),
    lender_id        bigint not null references lenders (id),
    status           text not null check (status in ('pending', 'eligible', 'conditional', 'ineligible', 'error')),
    program          text,
    score            int,
    rank             int,
    criteria         jsonb,
    criteria_version int,
    error            text,
    updated_at       timestamptz not null default now(),
    primary key (application_id, lender_id)
);

-- The embedded engine: a run is a row, its steps are rows. Workers claim runs with
-- FOR UPDATE SKIP LOCKED and hold a lease they renew.
create table workflow_runs (
    id               uuid primary key,
    workflow         text not null,
    event            text,
    input            jsonb not null,
    status           text not null check (status in ('queued', 'running', 'succeeded', 'failed')),
    run_after        timestamptz not null default now(),
    lease_owner      text,
    lease_expires_at timestamptz,
    error            text,
    created_at       timestamptz not null default now(),
    started_at       timestamptz,
    finished_at      timestamptz
);
create index workflow_runs_claim_idx on workflow_runs (run_after) where status in ('queued', 'running');

create table workflow_steps (
    run_id      uuid not null references workflow_runs (id),
    step        text not null,
    status      text not null check (status in ('pending', 'running', 'succeeded', 'failed')),
    attempts    int not null default 0,
    output      jsonb,
    error       text,
    started_at  timestamptz,
    finished_at timestamptz,
    primary key (run_id, step)
);
