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

/**
 * The run tables, as the embedded engine and the API use them ({@link HatchetRunStore} has what only the
 * Hatchet bridge writes). Every write a worker makes to a run it holds checks that it still
 * holds the lease, so a worker that lost its run (paused past the lease) cannot overwrite the new holder.
 */
public final class RunStore {

    public static final String NOTIFY_CHANNEL = "kaaj_runs";

    /** A run a worker took; firstClaim when no worker ran any of its steps before (then none is done). */
    public record ClaimedRun(UUID id, String workflow, String input, boolean firstClaim) {
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
        Sql.query(c, """
                with run as (insert into workflow_runs (id, workflow, event, input, status, engine)
                             values (?, ?, ?, ?, 'queued', ?) returning id),
                     steps as (insert into workflow_steps (run_id, step, status)
                               select run.id, step, 'pending' from run, unnest(?::text[]) step)
                select pg_notify(?, ?)""", row -> null, id, workflow, event, new JsonText(input), engine,
                c.createArrayOf("text", steps.toArray()), NOTIFY_CHANNEL, id.toString());
        return id;
    }

    /** Takes the oldest queued run, or a running one whose worker's lease expired. */
    public Optional<ClaimedRun> claim(String owner, Duration lease) {
        return sql.queryOne("""
                update workflow_runs r
                   set status = 'running', lease_owner = ?, lease_expires_at = now() + ? * interval '1 millisecond',
                       started_at = coalesce(r.started_at, now())
                  from (select id, started_at from workflow_runs
                         where status in ('queued', 'running') and run_after <= now() and engine = 'embedded'
                           and (lease_expires_at is null or lease_expires_at < now())
                         order by run_after, created_at
                         limit 1
                         for update skip locked) next
                 where r.id = next.id
                returning r.id, r.workflow, r.input::text, next.started_at is null""",
                row -> new ClaimedRun(row.getObject(1, UUID.class), row.getString(2), row.getString(3),
                        row.getBoolean(4)),
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
        return heldOne(run, sql.query(HELD + """
                update workflow_steps s set status = 'running', attempts = attempts + 1, started_at = now(),
                       finished_at = null
                  from held where s.run_id = held.id and s.step = ? returning s.attempts""",
                row -> row.getInt(1), run, owner, step));
    }

    /**
     * The step's last attempt was still running when its worker died or lost the lease: records it as
     * lost, with the error, and returns how many attempts of the step were lost so far.
     */
    public int stepLost(UUID run, String step, String owner, String error) {
        return heldOne(run, sql.query(HELD + """
                update workflow_steps s set status = 'pending', lost_attempts = lost_attempts + 1, error = ?,
                       finished_at = now()
                  from held where s.run_id = held.id and s.step = ? and s.status = 'running'
                returning s.lost_attempts""",
                row -> row.getInt(1), run, owner, error, step));
    }

    /** Records a step's success and marks the next step running; returns the next step's attempt number. */
    public int completeStepAndStart(UUID run, String done, String output, String next, String owner) {
        return heldOne(run, sql.query(HELD + SUCCEEDED + """
                update workflow_steps s set status = 'running', attempts = attempts + 1, started_at = now(),
                       finished_at = null
                  from held where s.run_id = held.id and s.step = ? returning s.attempts""",
                row -> row.getInt(1), run, owner, new JsonText(output), done, next));
    }

    /** Records the last step's success and the run's. */
    public void completeStepAndRun(UUID run, String step, String output, String owner) {
        held(run, sql.update(HELD + SUCCEEDED + """
                update workflow_runs r set status = 'succeeded', error = null, finished_at = now(),
                       lease_owner = null, lease_expires_at = null
                  from held where r.id = held.id""", run, owner, new JsonText(output), step));
    }

    /** Records the failed attempt and hands the run back to the queue, to be tried again after the delay. */
    public void retryLater(UUID run, String step, String owner, String error, Duration delay) {
        held(run, sql.update(HELD + """
                , attempt as (update workflow_steps s set status = 'pending', error = ?, finished_at = now()
                                from held where s.run_id = held.id and s.step = ?)
                update workflow_runs r set status = 'queued', lease_owner = null, lease_expires_at = null,
                       run_after = now() + ? * interval '1 millisecond'
                  from held where r.id = held.id""", run, owner, error, step, delay.toMillis()));
    }

    public void failRun(UUID run, String step, String owner, String error) {
        held(run, sql.update(HELD + """
                , attempt as (update workflow_steps s set status = 'failed', error = ?, finished_at = now()
                                from held where s.run_id = held.id and s.step = ?)
                update workflow_runs r set status = 'failed', error = ?, finished_at = now(),
                       lease_owner = null, lease_expires_at = null
                  from held where r.id = held.id""", run, owner, error, step, step + ": " + error));
    }

    public void completeRun(UUID run, String owner) {
        held(run, sql.update("""
                update workflow_runs set status = 'succeeded', error = null, finished_at = now(),
                       lease_owner = null, lease_expires_at = null where id = ? and lease_owner = ?""", run, owner));
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
     * Locks the run's row while it is this worker's: a write that starts with it changes nothing once another
     * worker has taken the run over, and each write is one statement (one round trip, one commit).
     */
    private static final String HELD = """
            with held as (select id from workflow_runs where id = ? and lease_owner = ? for update)
            """;

    /** After HELD: the step (second parameter) succeeded with the output (first parameter). */
    private static final String SUCCEEDED = """
            , succeeded as (update workflow_steps s set status = 'succeeded', output = ?, error = null,
                                   finished_at = now()
                              from held where s.run_id = held.id and s.step = ?)
            """;

    private static void held(UUID run, int rows) {
        if (rows == 0) {
            throw new LeaseLostException(run);
        }
    }

    private static <T> T heldOne(UUID run, List<T> rows) {
        held(run, rows.size());
        return rows.get(0);
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
