-- Matching keeps the active lenders and their parsed criteria in memory. This counter moves with every
-- statement that changes lenders or their criteria versions, so that each matching asks one row whether
-- anything changed instead of reading every active lender again.
create table lender_changes (
    only_row boolean primary key default true check (only_row),
    counter  bigint  not null
);
insert into lender_changes (counter) values (0);

create function count_lender_change() returns trigger language plpgsql as $$
begin
    update lender_changes set counter = counter + 1;
    return null;
end
$$;

create trigger lenders_changed after insert or update or delete or truncate on lenders
    for each statement execute function count_lender_change();
create trigger lender_criteria_changed after insert or update or delete or truncate on lender_criteria
    for each statement execute function count_lender_change();
