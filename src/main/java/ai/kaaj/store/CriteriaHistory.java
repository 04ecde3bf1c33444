package ai.kaaj.store;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** A lender's stored criteria versions, newest first: what the console's history and diff read. */
public final class CriteriaHistory {

    /** criteria, evidence and warnings as stored (JSON); versions stored before evidence have {} and []. */
    public record Version(int version, String source, UUID runId, Instant createdAt, String criteria,
                          String evidence, String warnings) {
    }

    private static final String COLUMNS = "version, source, run_id, created_at, criteria::text, evidence::text, "
            + "warnings::text";

    private final Sql sql;

    public CriteriaHistory(Sql sql) {
        this.sql = sql;
    }

    public List<Version> versions(long lenderId) {
        return sql.query("select " + COLUMNS + " from lender_criteria where lender_id = ? order by version desc",
                CriteriaHistory::version, lenderId);
    }

    public Optional<Version> version(long lenderId, int version) {
        return sql.queryOne("select " + COLUMNS + " from lender_criteria where lender_id = ? and version = ?",
                CriteriaHistory::version, lenderId, version);
    }

    private static Version version(java.sql.ResultSet row) throws java.sql.SQLException {
        return new Version(row.getInt(1), row.getString(2), row.getObject(3, UUID.class), RunStore.instant(row, 4),
                row.getString(5), row.getString(6), row.getString(7));
    }
}
