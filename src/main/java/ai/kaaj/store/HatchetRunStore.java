package ai.kaaj.store;

import ai.kaaj.store.Sql.JsonText;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;

/**
 * Hatchet's run records in our run tables (engine 'hatchet'): the runs waiting to be handed to Hatchet,
 * and what the bridge's workers write as Hatchet assigns, ends or cancels steps. Hatchet is the judge of
 * a run's state; these rows are what the API shows.
 */
public final class HatchetRunStore {

    /** A run waiting to be handed to Hatchet. */
    public record UndispatchedRun(UUID id, String workflow, String input) {
    }

    /** A Hatchet run recorded here as still under way. */
    public record HatchetRun(UUID id, String workflow, String input, String externalId) {
    }

    /** How a hand-over went: Hatchet's run id (null for an event), or why Hatchet will never take the run. */
    public record Handover(String externalId, String refusal) {
    }

    private final Sql sql;

    public HatchetRunStore(Sql sql) {
        this.sql = sql;
    }

    /**
     * Hands waiting Hatchet runs over, oldest first, each marked dispatched with the id the dispatcher
     * returns (Hatchet's run id, or null when only an event was pushed), or failed with the reason when
     * Hatchet refused it for good (so it cannot hold up the runs behind it). Each row is locked while it is
     * handed over, so several processes may relay at once. A dispatcher failure ends the batch: the runs
     * handed over before it stay marked, the rest wait for the next call. Returns how many were handed
     * over. Should a hand-over reach Hatchet but not be marked here, the run goes twice; the bridge runs
     * only the Hatchet run it sees first for a run of ours.
     */
    public int dispatchWaiting(int limit, Function<UndispatchedRun, Handover> dispatcher) {
        int done = 0;
        while (done < limit) {
            // one run per transaction: a row is locked only while its own hand-over is under way
            boolean handed;
            try {
                handed = sql.inTransaction(c -> {
                    Optional<UndispatchedRun> next = Sql.query(c, """
                            select id, workflow, input::text from workflow_runs
                             where engine = 'hatchet' and dispatched_at is null and status = 'queued'
                             order by created_at limit 1 for update skip locked""",
                            row -> new UndispatchedRun(row.getObject(1, UUID.class), row.getString(2),
                                    row.getString(3))).stream().findFirst();
                    if (next.isEmpty()) {
                        return false;
                    }
                    Handover handover = dispatcher.apply(next.get());
                    if (handover.refusal() != null) {
                        Sql.update(c, "update workflow_runs set dispatched_at = now(), status = 'failed', error = ?, "
                                + "finished_at = now() where id = ?", handover.refusal(), next.get().id());
                    } else {
                        Sql.update(c, "update workflow_runs set dispatched_at = now(), "
                                + "external_id = coalesce(?, external_id) where id = ?", handover.externalId(),
                                next.get().id());
                    }
                    return true;
                });
            } catch (RuntimeException e) {
                if (done == 0) {
                    throw e;
                }
                return done;
            }
            if (!handed) {
                return done;
            }
            done++;
        }
        return done;
    }

    /**
     * Hatchet assigned a step of this run: make sure the run is recorded (a run started by someone
     * else's event is first seen here), running (Hatchet is the judge: a step it retries reopens a run
     * recorded as finished), and mark the step running with Hatchet's attempt number.
     * Returns false, changing nothing, when another Hatchet run is already recorded for this run of
     * ours (it was started twice): only the first one runs.
     */
    public boolean stepStarted(UUID run, String externalId, String workflow, String event, String input,
                                      List<String> steps, String step, int attempt) {
        return sql.inTransaction(c -> {
            Sql.update(c, """
                    insert into workflow_runs (id, workflow, event, input, status, engine, external_id, dispatched_at,
                                               started_at)
                    values (?, ?, ?, ?, 'running', 'hatchet', ?, now(), now())
                    on conflict (id) do update
                       set status = 'running', finished_at = null,
                           external_id = coalesce(workflow_runs.external_id, excluded.external_id),
                           dispatched_at = coalesce(workflow_runs.dispatched_at, now()),
                           started_at = coalesce(workflow_runs.started_at, now())""",
                    run, workflow, event, new JsonText(input), externalId);
            String recorded = Sql.query(c, "select external_id from workflow_runs where id = ?",
                    row -> row.getString(1), run).get(0);
            if (!externalId.equals(recorded)) {
                c.rollback();
                return false;
            }
            for (String name : steps) {
                Sql.update(c, "insert into workflow_steps (run_id, step, status) values (?, ?, 'pending') "
                        + "on conflict do nothing", run, name);
            }
            Sql.update(c, """
                    update workflow_steps set status = 'running', attempts = greatest(attempts, ?), started_at = now(),
                           finished_at = null where run_id = ? and step = ?""", attempt, run, step);
            return true;
        });
    }

    /**
     * A Hatchet step attempt completed; the run succeeded when it was the last step. An attempt that is
     * no longer the step's latest (Hatchet gave up on it and retried) changes nothing.
     */
    public void stepSucceeded(UUID run, String step, int attempt, String output, boolean lastStep) {
        sql.inTransaction(c -> {
            int updated = Sql.update(c, """
                    update workflow_steps set status = 'succeeded', output = ?, error = null, finished_at = now()
                     where run_id = ? and step = ? and attempts = ?""", new JsonText(output), run, step, attempt);
            return updated == 1 && lastStep ? Sql.update(c, "update workflow_runs set status = 'succeeded', "
                    + "error = null, finished_at = now() where id = ?", run) : 0;
        });
    }

    /** A Hatchet step attempt failed; when it was the last attempt, so did the run. Stale attempts change nothing. */
    public void stepFailed(UUID run, String step, int attempt, String error, boolean lastAttempt) {
        sql.inTransaction(c -> {
            int updated = Sql.update(c, "update workflow_steps set status = ?, error = ?, finished_at = now() "
                            + "where run_id = ? and step = ? and attempts = ?", lastAttempt ? "failed" : "pending",
                    error, run, step, attempt);
            return updated == 1 && lastAttempt ? Sql.update(c, "update workflow_runs set status = 'failed', "
                    + "error = ?, finished_at = now() where id = ?", step + ": " + error, run) : 0;
        });
    }

    /** Hatchet runs under way here for at least the given time, oldest first, whose Hatchet id is known. */
    public List<HatchetRun> runsUnderWay(Duration atLeast, int limit) {
        return sql.query("""
                select id, workflow, input::text, external_id from workflow_runs
                 where engine = 'hatchet' and status in ('queued', 'running') and external_id is not null
                   and created_at < now() - ? * interval '1 millisecond'
                 order by created_at limit ?""",
                row -> new HatchetRun(row.getObject(1, UUID.class), row.getString(2), row.getString(3),
                        row.getString(4)), atLeast.toMillis(), limit);
    }

    /**
     * Hatchet failed or cancelled the run, whatever this worker saw of it. Returns false, changing
     * nothing, when the run is not recorded as that Hatchet run (a duplicate start) or, for a cancel,
     * has already ended.
     */
    public boolean runEnded(UUID run, String externalId, String status, String error) {
        // 'failed' comes from Hatchet's on-failure step and stands over anything but a cancel already
        // handled here (the step may be retried); 'cancelled' only ends a run still under way
        return sql.update("update workflow_runs set status = ?, error = coalesce(error, ?), "
                + "finished_at = coalesce(finished_at, now()) "
                + "where id = ? and (external_id is null or external_id = ?) "
                + "and (? = 'failed' and status <> 'cancelled' or status in ('queued', 'running'))",
                status, error, run, externalId, status) == 1;
    }
}
