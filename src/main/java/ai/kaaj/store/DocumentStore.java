package ai.kaaj.store;

import ai.kaaj.documents.PageLayout;
import ai.kaaj.documents.PageText;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

/** Uploaded documents (stored once per owner and content, by sha256) and the text of their pages. */
public final class DocumentStore {

    public record StoredDocument(long id, boolean created) {
    }

    public record Document(long id, Long lenderId, String kind, String fileName, String contentType, String sha256,
                           int sizeBytes, byte[] content) {
    }

    /** What a step tells of a document without its content. */
    public record DocumentName(String fileName, String contentType) {
    }

    private final Sql sql;

    public DocumentStore(Sql sql) {
        this.sql = sql;
    }

    public static String sha256(byte[] content) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Stores the document unless the same owner already has the same content; returns its id either way. */
    public StoredDocument store(Connection c, String kind, Long lenderId, String fileName, String contentType,
                                byte[] content) throws SQLException {
        String sha = sha256(content);
        List<Long> inserted = Sql.query(c, """
                insert into documents (kind, lender_id, file_name, content_type, sha256, size_bytes, content)
                values (?, ?, ?, ?, ?, ?, ?)
                on conflict (kind, coalesce(lender_id, 0), sha256) do nothing returning id""",
                row -> row.getLong(1), kind, lenderId, fileName, contentType, sha, content.length, content);
        if (!inserted.isEmpty()) {
            return new StoredDocument(inserted.get(0), true);
        }
        long existing = Sql.query(c, "select id from documents where kind = ? and coalesce(lender_id, 0) = ? "
                + "and sha256 = ?", row -> row.getLong(1), kind, lenderId == null ? 0L : lenderId, sha).get(0);
        return new StoredDocument(existing, false);
    }

    public Optional<Document> find(long id) {
        return sql.queryOne("""
                select id, lender_id, kind, file_name, content_type, sha256, size_bytes, content
                  from documents where id = ?""",
                row -> new Document(row.getLong(1), (Long) row.getObject(2), row.getString(3), row.getString(4),
                        row.getString(5), row.getString(6), row.getInt(7), row.getBytes(8)), id);
    }

    /** The document's name and type, without loading its content. */
    public Optional<DocumentName> findName(long id) {
        return sql.queryOne("select file_name, content_type from documents where id = ?",
                row -> new DocumentName(row.getString(1), row.getString(2)), id);
    }

    /**
     * Writes the pages' text and layout, replacing what an earlier attempt wrote. The document's row is locked
     * first: a worker that was stopped may still be finishing the same step while another runs it again, and
     * the two must not interleave their deletes and inserts.
     */
    public void savePages(long documentId, List<PageText> pages) {
        sql.inTransaction(c -> {
            Sql.query(c, "select id from documents where id = ? for update", row -> row.getLong(1), documentId);
            Sql.update(c, "delete from document_pages where document_id = ?", documentId);
            for (PageText page : pages) {
                Sql.JsonText layout = page.layout() == null ? null : new Sql.JsonText(page.layout().toJson());
                Sql.update(c, "insert into document_pages (document_id, page_number, method, text, layout) "
                                + "values (?, ?, ?, ?, ?)", documentId, page.pageNumber(), page.method(),
                        page.text().replace("\u0000", ""), layout);
            }
            return null;
        });
    }

    /** The pages' text and, for pages read from a PDF, their layout. */
    public List<PageText> pages(long documentId) {
        return sql.query("select page_number, method, text, layout from document_pages where document_id = ? "
                + "order by page_number", row -> {
                    String layout = row.getString(4);
                    return new PageText(row.getInt(1), row.getString(2), row.getString(3),
                            layout == null ? null : PageLayout.fromJson(layout));
                }, documentId);
    }

    /** Page numbers and methods, without the text: what the API shows. */
    public List<PageText> pageMethods(long documentId) {
        return sql.query("select page_number, method from document_pages where document_id = ? "
                + "order by page_number", row -> new PageText(row.getInt(1), row.getString(2), ""), documentId);
    }

    /**
     * Each page's stored row as JSON (page_number, method, text and whatever else is kept with the page,
     * such as its layout), in page order; empty when the document has no pages (yet).
     */
    public List<String> pageRows(long documentId) {
        return sql.query("select (to_jsonb(p) - 'document_id')::text from document_pages p where document_id = ? "
                + "order by page_number", row -> row.getString(1), documentId);
    }

    public boolean exists(long documentId) {
        return sql.queryOne("select 1 from documents where id = ?", row -> true, documentId).isPresent();
    }
}
