package ai.kaaj.store;

import ai.kaaj.support.DefaultSettings;
import ai.kaaj.documents.LayoutPages;
import ai.kaaj.documents.Ocr;
import ai.kaaj.documents.PageLayout;
import ai.kaaj.documents.PageLayout.Block;
import ai.kaaj.documents.PageLayout.Cell;
import ai.kaaj.documents.PageText;
import ai.kaaj.documents.PdfText;
import ai.kaaj.documents.PlacedPdf;
import ai.kaaj.support.TestDatabase;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;

/** Page layouts written to document_pages.layout (jsonb, V6) and read back with the pages, on real PostgreSQL. */
class DocumentPagesLayoutTest {

    private Database database;
    private DocumentStore documents;
    private Sql sql;

    @BeforeEach
    void open() throws Exception {
        database = TestDatabase.open();
        sql = new Sql(database.dataSource());
        documents = new DocumentStore(sql);
    }

    @AfterEach
    void close() {
        database.close();
    }

    @Test
    void aPdfsPagesComeBackWithTheirLayoutAndPlainTextPagesWithout() throws Exception {
        byte[] pdf;
        try (PlacedPdf placed = new PlacedPdf()) {
            LayoutPages.rateSheet(placed);
            LayoutPages.creditBox(placed);
            pdf = placed.bytes();
        }
        List<PageText> read = new PdfText(new Ocr(null, "eng"), 200, 20, DefaultSettings.load().documentLimits()).pages(pdf, "rates.pdf");
        long pdfId = store("rates.pdf", pdf);
        documents.savePages(pdfId, read);
        long textId = store("notes.txt", "FICO 650".getBytes());
        documents.savePages(textId, List.of(new PageText(1, "text", "FICO 650")));

        List<PageText> back = documents.pages(pdfId);
        assertThat(back).extracting(PageText::text).isEqualTo(read.stream().map(PageText::text).toList());
        List<Block> blocks = PageLayout.blocks(back);
        assertThat(blocks).extracting(Block::text).isEqualTo(PageLayout.blocks(read).stream().map(Block::text).toList());
        Block fico = blocks.stream().filter(b -> b.text().startsWith("Minimum FICO")).findFirst().orElseThrow();
        assertThat(fico.page()).isEqualTo(2);
        assertThat(fico.kind()).isEqualTo(PageLayout.Kind.TABLE_ROW);
        assertThat(fico.cells()).extracting(Cell::text).containsExactly("Minimum FICO", "650", "680");
        assertThat(fico.bbox().x0()).isEqualTo(54f);

        // jsonb, so the console and SQL can look inside it.
        assertThat(sql.queryOne("select layout -> 'blocks' -> 0 ->> 'kind' from document_pages "
                + "where document_id = ? and page_number = 1", row -> row.getString(1), pdfId)).contains("heading");
        assertThat(documents.pages(textId)).singleElement().satisfies(page -> {
            assertThat(page.layout()).isNull();
            assertThat(page.text()).isEqualTo("FICO 650");
        });
    }

    /** A stopped worker may still be finishing extract-text while another runs it again: both writes succeed. */
    @Test
    void twoWorkersSavingTheSamePagesAtOnceLeaveOneSetOfPages() throws Exception {
        long id = store("twice.pdf", "%PDF-1.7 twice".getBytes());
        List<PageText> pages = List.of(new PageText(1, "text", "one"), new PageText(2, "text", "two"),
                new PageText(3, "text", "three"));
        ExecutorService workers = Executors.newFixedThreadPool(2);
        try {
            List<Future<?>> writes = new ArrayList<>();
            for (int i = 0; i < 40; i++) {
                writes.add(workers.submit(() -> documents.savePages(id, pages)));
            }
            for (Future<?> write : writes) {
                write.get();
            }
        } finally {
            workers.shutdownNow();
        }
        assertThat(documents.pages(id)).extracting(PageText::text).containsExactly("one", "two", "three");
    }

    private long store(String name, byte[] content) {
        return sql.inTransaction(c -> documents.store(c, "application", null, name, "application/pdf", content).id());
    }
}
