package ai.kaaj.store;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** Recent workflow runs of both workflows, newest first, for the run list. */
public final class RunHistory {

    /** A run without its steps; subject is the lender or application it works on (from its input). */
    public record RunSummary(UUID id, String workflow, String status, String engine, String externalId,
                             Long lenderId, Long applicationId, String error, Instant createdAt, Instant startedAt,
                             Instant finishedAt, int stepsDone, int stepsTotal, String currentStep) {
    }

    private final Sql sql;

    public RunHistory(Sql sql) {
        this.sql = sql;
    }

    /** Runs newest first; workflow and status are optional filters. */
    public List<RunSummary> recent(String workflow, String status, int limit, int offset) {
        return sql.query("""
                select r.id, r.workflow, r.status, r.engine, r.external_id,
                       (r.input ->> 'lender_id')::bigint, (r.input ->> 'application_id')::bigint, r.error,
                       r.created_at, r.started_at, r.finished_at,
                       (select count(*) from workflow_steps s where s.run_id = r.id and s.status = 'succeeded'),
                       (select count(*) from workflow_steps s where s.run_id = r.id),
                       (select s.step from workflow_steps s where s.run_id = r.id and s.status = 'running' limit 1)
                  from workflow_runs r
                 where (?::text is null or r.workflow = ?) and (?::text is null or r.status = ?)
                 order by r.created_at desc, r.id limit ? offset ?""",
                row -> new RunSummary(row.getObject(1, UUID.class), row.getString(2), row.getString(3),
                        row.getString(4), row.getString(5), (Long) row.getObject(6), (Long) row.getObject(7),
                        row.getString(8), RunStore.instant(row, 9), RunStore.instant(row, 10),
                        RunStore.instant(row, 11), row.getInt(12), row.getInt(13), row.getString(14)),
                workflow, workflow, status, status, limit, offset);
    }

    public int count(String workflow, String status) {
        return sql.query("select count(*) from workflow_runs where (?::text is null or workflow = ?) "
                + "and (?::text is null or status = ?)", row -> row.getInt(1), workflow, workflow, status, status)
                .get(0);
    }
}
