package ai.kaaj.store;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;

/** One match row per (application, lender): upserted, so a retried or resumed step never doubles a row. */
public final class MatchStore {

    /**
     * An active lender to match against: its name, criteria version, whether its criteria await review, and a
     * stamp that changes whenever its row or its criteria version's row changes (their xmin), so that parsed
     * criteria can be kept until the stamp moves.
     */
    public record ActiveLender(long lenderId, String lenderName, int criteriaVersion, boolean reviewRequired,
                               String stamp) {
    }

    /** A lender's criteria and their evidence as stored (JSON; either may be null). */
    public record StoredCriteria(long lenderId, String criteria, String evidence) {
    }

    /** One lender's ranked result for an application; criteria is the checks as JSON. */
    public record MatchRow(long lenderId, String lenderName, String status, String program, Integer score,
                           Integer rank, String criteria, Integer criteriaVersion, String error,
                           boolean reviewRequired) {
    }

    private static final String LENDERS = """
              from lenders l
              left join lender_criteria v on v.lender_id = l.id and v.version = l.criteria_version
            """;

    private final Sql sql;

    public MatchStore(Sql sql) {
        this.sql = sql;
    }

    /** A number that moves whenever lenders or their criteria change (V10's triggers count every change). */
    public long lenderChanges() {
        return sql.query("select counter from lender_changes", row -> row.getLong(1)).get(0);
    }

    /** The active lenders, by id. */
    public List<ActiveLender> activeLenders() {
        return sql.query("select l.id, l.name, l.criteria_version, l.review_requested_at is not null, "
                        + "l.xmin::text || '/' || coalesce(v.xmin::text, '-')" + LENDERS
                        + " where l.status = 'active' order by l.id",
                row -> new ActiveLender(row.getLong(1), row.getString(2), row.getInt(3), row.getBoolean(4),
                        row.getString(5)));
    }

    /** The current criteria and evidence of these lenders. */
    public List<StoredCriteria> criteria(List<Long> lenderIds) {
        return sql.inConnection(c -> Sql.query(c, "select l.id, l.criteria::text, v.evidence::text" + LENDERS
                        + " where l.id = any(?)",
                row -> new StoredCriteria(row.getLong(1), row.getString(2), row.getString(3)),
                c.createArrayOf("bigint", lenderIds.toArray())));
    }

    /** Drops an application's results before it is matched (again), so that none of an earlier matching shows. */
    public void clearResults(long applicationId) {
        sql.update("delete from matches where application_id = ?", applicationId);
    }

    /**
     * Writes every lender's ranked result in one statement, replacing what a retried step wrote before and
     * dropping rows of lenders no longer among the results.
     */
    public void saveRanked(long applicationId, List<MatchRow> results) {
        int n = results.size();
        Long[] lenders = new Long[n];
        String[] statuses = new String[n];
        String[] programs = new String[n];
        Integer[] scores = new Integer[n];
        Integer[] ranks = new Integer[n];
        String[] criteria = new String[n];
        Integer[] versions = new Integer[n];
        String[] errors = new String[n];
        Boolean[] reviews = new Boolean[n];
        for (int i = 0; i < n; i++) {
            MatchRow row = results.get(i);
            lenders[i] = row.lenderId();
            statuses[i] = row.status();
            programs[i] = row.program();
            scores[i] = row.score();
            ranks[i] = row.rank();
            criteria[i] = row.criteria();
            versions[i] = row.criteriaVersion();
            errors[i] = row.error();
            reviews[i] = row.reviewRequired();
        }
        sql.inConnection(c -> Sql.update(c, """
                        with gone as (delete from matches where application_id = ? and lender_id <> all(?))
                        insert into matches (application_id, lender_id, status, program, score, rank, criteria,
                                             criteria_version, error, review_required, updated_at)
                        select ?, r.lender_id, r.status, r.program, r.score, r.rank, r.criteria::json,
                               r.criteria_version, r.error, r.review_required, now()
                          from unnest(?, ?, ?, ?, ?, ?, ?, ?, ?)
                               as r(lender_id, status, program, score, rank, criteria, criteria_version, error,
                                    review_required)
                        on conflict (application_id, lender_id) do update
                           set status = excluded.status, program = excluded.program, score = excluded.score,
                               rank = excluded.rank, criteria = excluded.criteria,
                               criteria_version = excluded.criteria_version, error = excluded.error,
                               review_required = excluded.review_required, updated_at = now()""",
                applicationId, c.createArrayOf("bigint", lenders), applicationId,
                c.createArrayOf("bigint", lenders), c.createArrayOf("text", statuses),
                c.createArrayOf("text", programs), c.createArrayOf("int4", scores), c.createArrayOf("int4", ranks),
                c.createArrayOf("text", criteria), c.createArrayOf("int4", versions),
                c.createArrayOf("text", errors), c.createArrayOf("bool", reviews)));
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
