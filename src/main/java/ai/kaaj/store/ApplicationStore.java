package ai.kaaj.store;

import ai.kaaj.store.Sql.JsonText;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** Loan applications: the fields (typed in, or read from a PDF) and where matching stands. */
public final class ApplicationStore {

    public record ApplicationRow(long id, String status, String application, String source, Long documentId,
                                 UUID lastRunId, String error, Instant createdAt, Instant matchedAt) {
    }

    private static final String COLUMNS =
            "id, status, application::text, source, document_id, last_run_id, error, created_at, matched_at";

    private final Sql sql;

    public ApplicationStore(Sql sql) {
        this.sql = sql;
    }

    /** A new application; applicationJson is null for a PDF whose fields are read by the workflow. */
    public long create(Connection c, String applicationJson, String source, Long documentId) throws SQLException {
        return Sql.query(c, "insert into applications (status, application, source, document_id) "
                        + "values ('pending', ?, ?, ?) returning id", row -> row.getLong(1),
                applicationJson == null ? null : new JsonText(applicationJson), source, documentId).get(0);
    }

    public Optional<ApplicationRow> find(long id) {
        return sql.queryOne("select " + COLUMNS + " from applications where id = ?", ApplicationStore::row, id);
    }

    public Optional<ApplicationRow> findByDocument(Connection c, long documentId) throws SQLException {
        List<ApplicationRow> rows = Sql.query(c, "select " + COLUMNS + " from applications where document_id = ?",
                ApplicationStore::row, documentId);
        return rows.isEmpty() ? Optional.empty() : Optional.of(rows.get(0));
    }

    public List<ApplicationRow> list(String status, int limit) {
        return status == null
                ? sql.query("select " + COLUMNS + " from applications order by id desc limit ?", ApplicationStore::row,
                limit)
                : sql.query("select " + COLUMNS + " from applications where status = ? order by id desc limit ?",
                ApplicationStore::row, status, limit);
    }

    public void startMatching(Connection c, long applicationId, UUID runId) throws SQLException {
        Sql.update(c, "update applications set status = 'pending', last_run_id = ?, error = null where id = ?",
                runId, applicationId);
    }

    public void saveFields(long applicationId, String applicationJson) {
        sql.update("update applications set application = ? where id = ?", new JsonText(applicationJson),
                applicationId);
    }

    public void markMatching(long applicationId) {
        sql.update("update applications set status = 'matching' where id = ? and status <> 'matched'", applicationId);
    }

    public void markMatched(long applicationId) {
        sql.update("update applications set status = 'matched', error = null, matched_at = now() where id = ?",
                applicationId);
    }

    public void markFailed(long applicationId, String error) {
        sql.update("update applications set status = 'failed', error = ? where id = ?", error, applicationId);
    }

    private static ApplicationRow row(ResultSet row) throws SQLException {
        return new ApplicationRow(row.getLong(1), row.getString(2), row.getString(3), row.getString(4),
                (Long) row.getObject(5), row.getObject(6, UUID.class), row.getString(7), RunStore.instant(row, 8),
                RunStore.instant(row, 9));
    }
}
