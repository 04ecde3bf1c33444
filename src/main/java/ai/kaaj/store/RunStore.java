package ai.kaaj.store;

import ai.kaaj.store.Sql.JsonText;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;

/**
 * The embedded engine's tables. Every write a worker makes to a run it holds checks that it still
 * holds the lease, so a worker that lost its run (paused past the lease) cannot overwrite the new holder.
 */
public final class RunStore {

    public static final String NOTIFY_CHANNEL = "kaaj_runs";

    public record ClaimedRun(UUID id, String workflow, String input) {
    }

    public record StepRow(String step, String status, int attempts, String output, String error,
                          Instant startedAt, Instant finishedAt) {
    }

    public record RunRow(UUID id, String workflow, String event, String status, String error, Instant createdAt,
                         Instant startedAt, Instant finishedAt, List<StepRow> steps) {
    }

    /** The worker no longer holds the run: another worker took it over after the lease expired. */
    public static final class LeaseLostException extends RuntimeException {
        public LeaseLostException(UUID run) {
            super("lease on run " + run + " was lost");
        }
    }

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
    private final String engine;

    /** engine: which engine runs the runs this process creates, "embedded" or "hatchet". */
    public RunStore(Sql sql, String engine) {
        this.sql = sql;
        this.engine = engine;
    }

    /**
     * Queues a run with its steps, inside the caller's transaction; on commit this wakes idle embedded
     * workers, or the relay that hands runs to Hatchet.
     */
    public UUID create(Connection c, String workflow, String event, String input, List<String> steps)
            throws SQLException {
        UUID id = UUID.randomUUID();
        Sql.update(c, "insert into workflow_runs (id, workflow, event, input, status, engine) "
                + "values (?, ?, ?, ?, 'queued', ?)", id, workflow, event, new JsonText(input), engine);
        for (String step : steps) {
            Sql.update(c, "insert into workflow_steps (run_id, step, status) values (?, ?, 'pending')", id, step);
        }
        Sql.query(c, "select pg_notify(?, ?)", row -> null, NOTIFY_CHANNEL, id.toString());
        return id;
    }

    /** Takes the oldest queued run, or a running one whose worker's lease expired. */
    public Optional<ClaimedRun> claim(String owner, Duration lease) {
        return sql.queryOne("""
                update workflow_runs r
                   set status = 'running', lease_owner = ?, lease_expires_at = now() + ? * interval '1 millisecond',
                       started_at = coalesce(r.started_at, now())
                  from (select id from workflow_runs
                         where status in ('queued', 'running') and run_after <= now() and engine = 'embedded'
                           and (lease_expires_at is null or lease_expires_at < now())
                         order by run_after, created_at
                         limit 1
                         for update skip locked) next
                 where r.id = next.id
                returning r.id, r.workflow, r.input::text""",
                row -> new ClaimedRun(row.getObject(1, UUID.class), row.getString(2), row.getString(3)),
                owner, lease.toMillis());
    }

    public int renewLeases(String owner, List<UUID> runs, Duration lease) {
        if (runs.isEmpty()) {
            return 0;
        }
        return sql.inConnection(c -> {
            try (var statement = c.prepareStatement("""
                    update workflow_runs set lease_expires_at = now() + ? * interval '1 millisecond'
                     where id = any(?) and lease_owner = ? and status = 'running'""")) {
                statement.setLong(1, lease.toMillis());
                statement.setArray(2, c.createArrayOf("uuid", runs.toArray()));
                statement.setString(3, owner);
                return statement.executeUpdate();
            }
        });
    }

    public List<StepRow> steps(UUID run) {
        return sql.query("""
                select step, status, attempts, output::text, error, started_at, finished_at
                  from workflow_steps where run_id = ?""", RunStore::stepRow, run);
    }

    /** Marks the step running and returns its attempt number (1 for the first). */
    public int startStep(UUID run, String step, String owner) {
        return sql.inTransaction(c -> {
            requireLease(c, run, owner);
            return Sql.query(c, """
                    update workflow_steps set status = 'running', attempts = attempts + 1, started_at = now(),
                           finished_at = null
                     where run_id = ? and step = ? returning attempts""", row -> row.getInt(1), run, step).get(0);
        });
    }

    /**
     * The step's last attempt was still running when its worker died or lost the lease: records it as
     * lost, with the error, and returns how many attempts of the step were lost so far.
     */
    public int stepLost(UUID run, String step, String owner, String error) {
        return sql.inTransaction(c -> {
            requireLease(c, run, owner);
            return Sql.query(c, """
                    update workflow_steps set status = 'pending', lost_attempts = lost_attempts + 1, error = ?,
                           finished_at = now()
                     where run_id = ? and step = ? and status = 'running' returning lost_attempts""",
                    row -> row.getInt(1), error, run, step).get(0);
        });
    }

    public void completeStep(UUID run, String step, String owner, String output) {
        sql.inTransaction(c -> {
            requireLease(c, run, owner);
            return Sql.update(c, """
                    update workflow_steps set status = 'succeeded', output = ?, error = null, finished_at = now()
                     where run_id = ? and step = ?""", new JsonText(output), run, step);
        });
    }

    /** Records the failed attempt and hands the run back to the queue, to be tried again after the delay. */
    public void retryLater(UUID run, String step, String owner, String error, Duration delay) {
        sql.inTransaction(c -> {
            requireLease(c, run, owner);
            Sql.update(c, "update workflow_steps set status = 'pending', error = ?, finished_at = now() "
                    + "where run_id = ? and step = ?", error, run, step);
            return Sql.update(c, """
                    update workflow_runs set status = 'queued', lease_owner = null, lease_expires_at = null,
                           run_after = now() + ? * interval '1 millisecond'
                     where id = ?""", delay.toMillis(), run);
        });
    }

    public void failRun(UUID run, String step, String owner, String error) {
        sql.inTransaction(c -> {
            requireLease(c, run, owner);
            Sql.update(c, "update workflow_steps set status = 'failed', error = ?, finished_at = now() "
                    + "where run_id = ? and step = ?", error, run, step);
            return Sql.update(c, """
                    update workflow_runs set status = 'failed', error = ?, finished_at = now(),
                           lease_owner = null, lease_expires_at = null where id = ?""",
                    step + ": " + error, run);
        });
    }

    public void completeRun(UUID run, String owner) {
        sql.inTransaction(c -> {
            requireLease(c, run, owner);
            return Sql.update(c, """
                    update workflow_runs set status = 'succeeded', error = null, finished_at = now(),
                           lease_owner = null, lease_expires_at = null where id = ?""", run);
        });
    }

    /** Gives a run back to the queue at once (graceful stop): another worker can take it immediately. */
    public void release(UUID run, String owner) {
        sql.inTransaction(c -> {
            int released = Sql.update(c, """
                    update workflow_runs set status = 'queued', lease_owner = null, lease_expires_at = null,
                           run_after = now()
                     where id = ? and lease_owner = ? and status = 'running'""", run, owner);
            if (released == 1) {
                Sql.update(c, "update workflow_steps set status = 'pending' where run_id = ? and status = 'running'",
                        run);
                Sql.query(c, "select pg_notify(?, ?)", row -> null, NOTIFY_CHANNEL, run.toString());
            }
            return released;
        });
    }

    /** The run by its id, or by Hatchet's id for it. */
    public Optional<RunRow> find(UUID id) {
        return sql.queryOne("""
                select id, workflow, event, status, error, created_at, started_at, finished_at
                  from workflow_runs where id = ? or external_id = ?
                 order by (id = ?) desc limit 1""",
                row -> new RunRow(row.getObject(1, UUID.class), row.getString(2), row.getString(3), row.getString(4),
                        row.getString(5), instant(row, 6), instant(row, 7), instant(row, 8), null),
                id, id.toString(), id)
                .map(run -> new RunRow(run.id(), run.workflow(), run.event(), run.status(), run.error(),
                        run.createdAt(), run.startedAt(), run.finishedAt(), steps(run.id())));
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
    public boolean hatchetStepStarted(UUID run, String externalId, String workflow, String event, String input,
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
    public void hatchetStepSucceeded(UUID run, String step, int attempt, String output, boolean lastStep) {
        sql.inTransaction(c -> {
            int updated = Sql.update(c, """
                    update workflow_steps set status = 'succeeded', output = ?, error = null, finished_at = now()
                     where run_id = ? and step = ? and attempts = ?""", new JsonText(output), run, step, attempt);
            return updated == 1 && lastStep ? Sql.update(c, "update workflow_runs set status = 'succeeded', "
                    + "error = null, finished_at = now() where id = ?", run) : 0;
        });
    }

    /** A Hatchet step attempt failed; when it was the last attempt, so did the run. Stale attempts change nothing. */
    public void hatchetStepFailed(UUID run, String step, int attempt, String error, boolean lastAttempt) {
        sql.inTransaction(c -> {
            int updated = Sql.update(c, "update workflow_steps set status = ?, error = ?, finished_at = now() "
                            + "where run_id = ? and step = ? and attempts = ?", lastAttempt ? "failed" : "pending",
                    error, run, step, attempt);
            return updated == 1 && lastAttempt ? Sql.update(c, "update workflow_runs set status = 'failed', "
                    + "error = ?, finished_at = now() where id = ?", step + ": " + error, run) : 0;
        });
    }

    /** Hatchet runs under way here for at least the given time, oldest first, whose Hatchet id is known. */
    public List<HatchetRun> hatchetRunsUnderWay(Duration atLeast, int limit) {
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
    public boolean hatchetRunEnded(UUID run, String externalId, String status, String error) {
        // 'failed' comes from Hatchet's on-failure step and stands over anything but a cancel already
        // handled here (the step may be retried); 'cancelled' only ends a run still under way
        return sql.update("update workflow_runs set status = ?, error = coalesce(error, ?), "
                + "finished_at = coalesce(finished_at, now()) "
                + "where id = ? and (external_id is null or external_id = ?) "
                + "and (? = 'failed' and status <> 'cancelled' or status in ('queued', 'running'))",
                status, error, run, externalId, status) == 1;
    }

    private static void requireLease(Connection c, UUID run, String owner) throws SQLException {
        List<String> held = Sql.query(c, "select lease_owner from workflow_runs where id = ? for update",
                row -> row.getString(1), run);
        if (held.isEmpty() || !owner.equals(held.get(0))) {
            throw new LeaseLostException(run);
        }
    }

    private static StepRow stepRow(ResultSet row) throws SQLException {
        return new StepRow(row.getString(1), row.getString(2), row.getInt(3), row.getString(4), row.getString(5),
                instant(row, 6), instant(row, 7));
    }

    static Instant instant(ResultSet row, int column) throws SQLException {
        Timestamp timestamp = row.getTimestamp(column);
        return timestamp == null ? null : timestamp.toInstant();
    }
}
