package ai.kaaj.store;


import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.List;

/** One match row per (application, lender): upserted, so a retried or resumed step never doubles a row. */
public final class MatchStore {

    /**
     * A lender due for evaluation: its current criteria, their version and evidence (JSON, null for versions
     * stored before evidence), and whether they await review.
     */
    public record LenderToMatch(long lenderId, String lenderName, String criteria, int criteriaVersion,
                                String evidence, boolean reviewRequired) {
    }

    public record MatchRow(long lenderId, String lenderName, String status, String program, Integer score,
                           Integer rank, String criteria, Integer criteriaVersion, String error,
                           boolean reviewRequired) {
    }

    private final Sql sql;

    public MatchStore(Sql sql) {
        this.sql = sql;
    }

    /**
     * One pending row per active lender; rows of lenders no longer active are dropped, so the results
     * are exactly the active lenders at this matching. Returns how many lenders will be evaluated.
     */
    public int preparePending(long applicationId) {
        return sql.inTransaction(c -> {
            Sql.update(c, """
                    delete from matches m where m.application_id = ?
                       and not exists (select 1 from lenders l where l.id = m.lender_id and l.status = 'active')""",
                    applicationId);
            return Sql.update(c, """
                    insert into matches (application_id, lender_id, status, updated_at)
                    select ?, id, 'pending', now() from lenders where status = 'active'
                    on conflict (application_id, lender_id) do update
                       set status = 'pending', program = null, score = null, rank = null, criteria = null,
                           error = null, updated_at = now()""", applicationId);
        });
    }

    /** The lenders of this application's pending rows, with the criteria they are matched on. */
    public List<LenderToMatch> lendersToMatch(long applicationId) {
        return sql.query("""
                select l.id, l.name, l.criteria::text, l.criteria_version, v.evidence::text,
                       l.review_requested_at is not null
                  from matches m join lenders l on l.id = m.lender_id
                  left join lender_criteria v on v.lender_id = l.id and v.version = l.criteria_version
                 where m.application_id = ? order by l.id""",
                row -> new LenderToMatch(row.getLong(1), row.getString(2), row.getString(3), row.getInt(4),
                        row.getString(5), row.getBoolean(6)),
                applicationId);
    }

    /** Writes every lender's result in one batch. */
    public void saveResults(long applicationId, List<MatchRow> results) {
        sql.inTransaction(c -> {
            try (PreparedStatement statement = c.prepareStatement("""
                    insert into matches (application_id, lender_id, status, program, score, criteria,
                                         criteria_version, error, review_required, updated_at)
                    values (?, ?, ?, ?, ?, ?, ?, ?, ?, now())
                    on conflict (application_id, lender_id) do update
                       set status = excluded.status, program = excluded.program, score = excluded.score,
                           criteria = excluded.criteria, criteria_version = excluded.criteria_version,
                           error = excluded.error, review_required = excluded.review_required, rank = null,
                           updated_at = now()""")) {
                for (MatchRow result : results) {
                    statement.setLong(1, applicationId);
                    statement.setLong(2, result.lenderId());
                    statement.setString(3, result.status());
                    statement.setString(4, result.program());
                    statement.setObject(5, result.score(), Types.INTEGER);
                    statement.setObject(6, result.criteria(), Types.OTHER);
                    statement.setObject(7, result.criteriaVersion(), Types.INTEGER);
                    statement.setString(8, result.error());
                    statement.setBoolean(9, result.reviewRequired());
                    statement.addBatch();
                }
                statement.executeBatch();
            }
            return null;
        });
    }

    public void saveRanks(long applicationId, java.util.Map<Long, Integer> rankByLender) {
        sql.inTransaction(c -> {
            try (PreparedStatement statement = c.prepareStatement(
                    "update matches set rank = ? where application_id = ? and lender_id = ?")) {
                for (var entry : rankByLender.entrySet()) {
                    statement.setInt(1, entry.getValue());
                    statement.setLong(2, applicationId);
                    statement.setLong(3, entry.getKey());
                    statement.addBatch();
                }
                statement.executeBatch();
            }
            return null;
        });
    }

    public List<MatchRow> results(long applicationId, String status) {
        String filter = status == null ? "" : " and m.status = ?";
        Object[] params = status == null ? new Object[] {applicationId} : new Object[] {applicationId, status};
        return sql.query("""
                select m.lender_id, l.name, m.status, m.program, m.score, m.rank, m.criteria::text,
                       m.criteria_version, m.error, m.review_required
                  from matches m join lenders l on l.id = m.lender_id
                 where m.application_id = ?""" + filter + " order by m.rank nulls last, l.name, m.lender_id",
                MatchStore::row, params);
    }

    private static MatchRow row(ResultSet row) throws SQLException {
        return new MatchRow(row.getLong(1), row.getString(2), row.getString(3), row.getString(4),
                (Integer) row.getObject(5), (Integer) row.getObject(6), row.getString(7),
                (Integer) row.getObject(8), row.getString(9), row.getBoolean(10));
    }
}
