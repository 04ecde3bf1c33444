-- A match's checks are written once per lender per matching and only ever read back whole: json keeps
-- the text as written, where jsonb's conversion cost more PostgreSQL time than the rest of the row.
alter table matches alter column criteria type json using criteria::json;
