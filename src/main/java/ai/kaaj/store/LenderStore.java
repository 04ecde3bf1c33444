package ai.kaaj.store;

import ai.kaaj.domain.CriteriaReading;
import ai.kaaj.domain.Json;
import ai.kaaj.domain.LenderCriteria;
import ai.kaaj.store.Sql.JsonText;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Lenders, their current criteria, and every criteria version with its evidence and warnings. A lender whose
 * current criteria were read from a document with warnings awaits review until an operator approves or corrects
 * them.
 */
public final class LenderStore {

    /** evidence and warnings are those of the current criteria version (JSON; null without criteria). */
    public record LenderRow(long id, String name, String status, String criteria, String criteriaSource,
                            int criteriaVersion, Long documentId, UUID lastRunId, String error, Instant createdAt,
                            Instant updatedAt, String evidence, String warnings, Instant reviewRequestedAt) {

        public boolean reviewRequired() {
            return reviewRequestedAt != null;
        }
    }

    private static final String COLUMNS = "l.id, l.name, l.status, l.criteria::text, l.criteria_source, "
            + "l.criteria_version, l.document_id, l.last_run_id, l.error, l.created_at, l.updated_at, "
            + "v.evidence::text, v.warnings::text, l.review_requested_at";
    private static final String FROM = " from lenders l left join lender_criteria v "
            + "on v.lender_id = l.id and v.version = l.criteria_version ";

    private final Sql sql;

    public LenderStore(Sql sql) {
        this.sql = sql;
    }

    public Optional<LenderRow> find(long id) {
        return sql.queryOne("select " + COLUMNS + FROM + "where l.id = ?", LenderStore::row, id);
    }

    /** Inside a transaction: on its connection, so a request never holds two of the pool's. */
    public Optional<LenderRow> find(Connection c, long id) throws SQLException {
        return Sql.query(c, "select " + COLUMNS + FROM + "where l.id = ?", LenderStore::row, id).stream()
                .findFirst();
    }

    public List<LenderRow> list(String status) {
        return page(status, null, Integer.MAX_VALUE, 0);
    }

    /** The lenders awaiting review (of the status, when given), the longest waiting first. */
    public List<LenderRow> awaitingReview(String status) {
        String where = "where l.review_requested_at is not null" + (status == null ? "" : " and l.status = ?");
        Object[] params = status == null ? new Object[0] : new Object[] {status};
        return sql.query("select " + COLUMNS + FROM + where + " order by l.review_requested_at, l.id",
                LenderStore::row, params);
    }

    /** An operator approved the current criteria: the lender no longer awaits review. False when it does not exist. */
    public boolean approve(long lenderId) {
        return sql.update("update lenders set review_requested_at = null, updated_at = now() where id = ?",
                lenderId) == 1;
    }

    /** One page of lenders in id order, optionally of one status and whose name contains the search text. */
    public List<LenderRow> page(String status, String nameContains, int limit, int offset) {
        return sql.query("select " + COLUMNS + FROM + "where " + FILTER + " order by l.id limit ? offset ?",
                LenderStore::row, status, status, nameContains, nameContains, limit, offset);
    }

    /** How many lenders the same filter finds, for paging. */
    public int count(String status, String nameContains) {
        return sql.query("select count(*) from lenders l where " + FILTER, row -> row.getInt(1), status, status,
                nameContains, nameContains).get(0);
    }

    // the search text is matched literally: % and _ in it are escaped
    private static final String FILTER = "(?::text is null or l.status = ?) and (?::text is null or l.name ilike "
            + "'%' || replace(replace(replace(?, '\\', '\\\\'), '%', '\\%'), '_', '\\_') || '%')";

    public List<LenderRow> active() {
        return list("active");
    }

    /** The lender of that name (case-insensitive), created pending when new. */
    public long findOrCreate(Connection c, String name) throws SQLException {
        List<Long> created = Sql.query(c, """
                insert into lenders (name, status) values (?, 'pending')
                on conflict (lower(name)) do nothing returning id""", row -> row.getLong(1), name);
        if (!created.isEmpty()) {
            return created.get(0);
        }
        return Sql.query(c, "select id from lenders where lower(name) = lower(?)", row -> row.getLong(1), name).get(0);
    }

    /** A new lender with operator-typed criteria (evidence "manual"); empty when the name is taken. */
    public Optional<Long> createWithCriteria(String name, LenderCriteria criteria) {
        return sql.inTransaction(c -> {
            List<Long> created = Sql.query(c, """
                    insert into lenders (name, status) values (?, 'active')
                    on conflict (lower(name)) do nothing returning id""", row -> row.getLong(1), name);
            if (created.isEmpty()) {
                return Optional.empty();
            }
            writeCriteria(c, created.get(0), null, CriteriaReading.manual(criteria), "manual");
            return Optional.of(created.get(0));
        });
    }

    /** Points the lender at its document and the run that will process it. */
    public void startProcessing(Connection c, long lenderId, long documentId, UUID runId) throws SQLException {
        Sql.update(c, """
                update lenders set document_id = ?, last_run_id = ?, error = null, updated_at = now(),
                       status = case when status = 'inactive' then status else 'pending' end
                 where id = ?""", documentId, runId, lenderId);
    }

    public void markProcessing(long lenderId) {
        sql.update("update lenders set status = 'processing', updated_at = now() "
                + "where id = ? and status in ('pending', 'failed', 'processing')", lenderId);
    }

    /** The run failed: its lender shows the error, unless a newer run of the lender has been started since. */
    public void markFailed(long lenderId, UUID runId, String error) {
        sql.update("update lenders set status = case when status = 'inactive' then status else 'failed' end, "
                + "error = ?, updated_at = now() where id = ? and last_run_id = ?", error, lenderId, runId);
    }

    /**
     * Saves a new criteria version with its evidence and warnings and makes it current. A run writes at most one
     * version, however often it runs, and makes it current only while it is the lender's latest run: a run
     * overtaken by a newer one (the document reprocessed meanwhile) keeps its reading as a version in the history
     * and leaves the newer run's to come. Criteria read from a document (runId set) with warnings await review;
     * any other save (an operator's correction) ends a review.
     */
    public int saveCriteria(long lenderId, UUID runId, CriteriaReading reading, String source) {
        return sql.inTransaction(c -> writeCriteria(c, lenderId, runId, reading, source));
    }

    private static int writeCriteria(Connection c, long lenderId, UUID runId, CriteriaReading reading, String source)
            throws SQLException {
        String criteriaJson = Json.write(reading.criteria());
        // Serialises concurrent writers of the same lender so version numbers never collide.
        Sql.query(c, "select id from lenders where id = ? for update", row -> null, lenderId);
        List<Integer> existing = runId == null ? List.of() : Sql.query(c,
                "select version from lender_criteria where lender_id = ? and run_id = ?", row -> row.getInt(1),
                lenderId, runId);
        int version;
        if (existing.isEmpty()) {
            version = Sql.query(c, "select coalesce(max(version), 0) + 1 from lender_criteria where lender_id = ?",
                    row -> row.getInt(1), lenderId).get(0);
            Sql.update(c, "insert into lender_criteria (lender_id, version, criteria, source, run_id, evidence, warnings) "
                    + "values (?, ?, ?, ?, ?, ?, ?)", lenderId, version, new JsonText(criteriaJson), source, runId,
                    new JsonText(Json.write(reading.evidence())), new JsonText(Json.write(reading.warnings())));
        } else {
            version = existing.get(0);
        }
        Sql.update(c, """
                update lenders set criteria = ?, criteria_source = ?, criteria_version = ?, error = null,
                       status = case when status = 'inactive' then status else 'active' end, updated_at = now(),
                       review_requested_at = case when ? then coalesce(review_requested_at, now()) end
                 where id = ? and (?::uuid is null or last_run_id = ?)""", new JsonText(criteriaJson), source, version,
                runId != null && !reading.warnings().isEmpty(), lenderId, runId, runId);
        return version;
    }

    /** Sets active or inactive; false when the lender does not exist. */
    public boolean setActive(long lenderId, boolean active) {
        return sql.update("update lenders set status = ?, updated_at = now() where id = ?",
                active ? "active" : "inactive", lenderId) == 1;
    }

    private static LenderRow row(ResultSet row) throws SQLException {
        return new LenderRow(row.getLong(1), row.getString(2), row.getString(3), row.getString(4), row.getString(5),
                row.getInt(6), (Long) row.getObject(7), row.getObject(8, UUID.class), row.getString(9),
                RunStore.instant(row, 10), RunStore.instant(row, 11), row.getString(12), row.getString(13),
                RunStore.instant(row, 14));
    }
}
