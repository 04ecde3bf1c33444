-- Matching keeps the active lenders and their parsed criteria in memory. This counter moves with every
-- change to lenders or their criteria versions, so that each matching asks one row whether anything
-- changed instead of reading every active lender again.
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

-- Deferred to commit: the counter's row is the last lock a transaction takes, so two transactions
-- changing lenders never wait on each other in a cycle, and the count moves with the change it counts.
create constraint trigger lenders_changed after insert or update or delete on lenders
    deferrable initially deferred for each row execute function count_lender_change();
create constraint trigger lender_criteria_changed after insert or update or delete on lender_criteria
    deferrable initially deferred for each row execute function count_lender_change();
