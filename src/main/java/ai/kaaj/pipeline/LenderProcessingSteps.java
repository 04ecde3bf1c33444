package ai.kaaj.pipeline;

import ai.kaaj.documents.DocumentLimits;
import ai.kaaj.documents.PageText;
import ai.kaaj.documents.ReaderProcess;
import ai.kaaj.domain.CriteriaReading;
import ai.kaaj.domain.Evidence;
import ai.kaaj.domain.LenderCriteria;
import ai.kaaj.engine.StepFailure;
import ai.kaaj.engine.StepInput;
import ai.kaaj.extraction.CriteriaValidator;
import ai.kaaj.extraction.GuidelineLine;
import ai.kaaj.extraction.RuleCriteriaExtractor;
import ai.kaaj.extraction.llm.CriteriaTarget;
import ai.kaaj.extraction.llm.DocumentModel;
import ai.kaaj.extraction.llm.LlmExtractor.Extracted;
import ai.kaaj.metrics.ProductMetrics;
import ai.kaaj.store.DocumentStore;
import ai.kaaj.store.DocumentStore.Document;
import ai.kaaj.store.DocumentStore.DocumentName;
import ai.kaaj.store.LenderStore;
import ai.kaaj.store.LenderStore.LenderRow;
import com.fasterxml.jackson.annotation.JsonInclude;
import org.apache.camel.Body;
import org.apache.camel.Exchange;
import org.apache.camel.ExchangeProperty;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * The lender-processing steps, one method per step route. Each step's output is a record, written as JSON
 * once by the engine (ai.kaaj.domain.Json) and read back as that record by the steps after it. Steps pass
 * ids and small results; the document and its text live in PostgreSQL.
 */
public final class LenderProcessingSteps {

    private static final Logger LOG = LoggerFactory.getLogger("ai.kaaj.engine");
    private static final CriteriaTarget CRITERIA = new CriteriaTarget();

    /** fetch-lender's output: the lender and its document, by id and name. */
    public record FetchedLender(long lenderId, String lenderName, long documentId, String fileName,
                                String contentType) {
    }

    /** extract-text's output: how the document's pages were read (their text is stored, not passed on). */
    public record PagesRead(long documentId, int pages, List<String> methods, int chars) {
    }

    /**
     * extract-criteria's output, and validate-enrich's (the same reading reviewed, without the model's report):
     * the criteria with each value's evidence and the reader's warnings, which extractor read them, and when a
     * model read, its report (tokens, requests, why it fell back).
     */
    public record CriteriaRead(LenderCriteria criteria, Map<String, Evidence> evidence, List<String> warnings,
                               String source, @JsonInclude(JsonInclude.Include.NON_NULL) Map<String, Object> llm) {

        static CriteriaRead of(CriteriaReading reading, String source, Map<String, Object> llm) {
            return new CriteriaRead(reading.criteria(), reading.evidence(), reading.warnings(), source, llm);
        }

        /** The criteria with their evidence and warnings (none for a reading that has none). */
        CriteriaReading reading() {
            return new CriteriaReading(criteria, evidence, warnings);
        }
    }

    /** update-lender's output: the criteria version stored, and whether it awaits an operator's review. */
    public record LenderUpdated(long lenderId, int criteriaVersion, boolean reviewRequired) {
    }

    /** on-failure's output: the lender marked failed. */
    public record LenderFailed(long lenderId) {
    }

    private final LenderStore lenders;
    private final DocumentStore documents;
    private final ReaderProcess reader;
    private final DocumentLimits limits;
    private final RuleCriteriaExtractor ruleExtractor;
    private final DocumentModel llm;
    private final ProductMetrics metrics;

    /** llm is DocumentModel.NONE when no model is configured: the rule extractor alone reads criteria. */
    public LenderProcessingSteps(LenderStore lenders, DocumentStore documents, ReaderProcess reader,
                                 DocumentLimits limits, RuleCriteriaExtractor ruleExtractor, DocumentModel llm,
                                 ProductMetrics metrics) {
        this.llm = llm;
        this.metrics = metrics;
        this.lenders = lenders;
        this.documents = documents;
        this.reader = reader;
        this.limits = limits;
        this.ruleExtractor = ruleExtractor;
    }

    public FetchedLender fetchLender(StepInput in) {
        long lenderId = in.inputLong("lender_id");
        long documentId = in.inputLong("document_id");
        LenderRow lender = lenders.find(lenderId)
                .orElseThrow(() -> new StepFailure("lender " + lenderId + " not found"));
        DocumentName document = documents.findName(documentId)
                .orElseThrow(() -> new StepFailure("document " + documentId + " not found"));
        LOG.info("Processing lender ID: {}", lenderId);
        lenders.markProcessing(lenderId);
        return new FetchedLender(lenderId, lender.name(), documentId, document.fileName(), document.contentType());
    }

    /** extract-text's document, kept in an exchange property while the route chooses how to read it. */
    public Document document(StepInput in) {
        long documentId = in.inputLong("document_id");
        return documents.find(documentId)
                .orElseThrow(() -> new StepFailure("document " + documentId + " not found"));
    }

    /** A PDF's pages, read in a child JVM within the document limits: text layer, or OCR where a page has none. */
    public List<PageText> pdfPages(@ExchangeProperty("document") Document document) {
        return reader.pages(document.content(), document.fileName());
    }

    /** A plain text document's pages, separated by form feeds as PDF text exports write them; its length is checked. */
    public List<PageText> textPages(@ExchangeProperty("document") Document document) {
        String text = new String(document.content(), StandardCharsets.UTF_8);
        limits.checkChars(document.fileName(), text.length());
        String[] parts = text.split("\f");
        List<PageText> pages = new ArrayList<>();
        for (int i = 0; i < parts.length; i++) {
            pages.add(new PageText(i + 1, "text", parts[i]));
        }
        return pages;
    }

    /** The pages read, stored for the later steps; the step's output says how they were read. */
    public PagesRead savePages(@ExchangeProperty("document") Document document, @Body List<PageText> pages) {
        documents.savePages(document.id(), pages);
        pages.stream().collect(Collectors.groupingBy(PageText::method, Collectors.counting()))
                .forEach((method, count) -> metrics.pagesRead(method, count.intValue()));
        LOG.info("Read {} pages of document {} ({})", pages.size(), document.id(), document.fileName());
        return new PagesRead(document.id(), pages.size(), pages.stream().map(PageText::method).toList(),
                pages.stream().mapToInt(p -> p.text().length()).sum());
    }

    /** extract-criteria's pages, kept in an exchange property for the model and the rules. */
    public List<PageText> pages(StepInput in) {
        return documents.pages(in.inputLong("document_id"));
    }

    /** The rules' reading of the pages, which stands by for the model's. */
    public CriteriaReading readByRules(@ExchangeProperty("pages") List<PageText> pages) {
        return ruleExtractor.read(GuidelineLine.ofPages(pages));
    }

    /**
     * The criteria read by the model, filled by the rules (the rules' alone when no model is configured), with
     * each value's evidence and the reader's warnings; fails when the model gives no usable reading in time.
     */
    public CriteriaRead readByModel(@Body StepInput in, @ExchangeProperty("pages") List<PageText> pages,
                                           @ExchangeProperty("byRules") CriteriaReading byRules) {
        return criteriaOutput(llm.read(CRITERIA, pages, byRules, in.deadline()));
    }

    /** The rules' reading in place of the model's, with why the model failed in the "llm" report. */
    public CriteriaRead readByRulesInstead(@ExchangeProperty("pages") List<PageText> pages,
                                           @ExchangeProperty("byRules") CriteriaReading byRules,
                                           @ExchangeProperty(Exchange.EXCEPTION_CAUGHT) Throwable failure) {
        return criteriaOutput(llm.fallback(CRITERIA, pages, byRules, failure));
    }

    private static CriteriaRead criteriaOutput(Extracted<CriteriaReading> extracted) {
        return CriteriaRead.of(extracted.value(), extracted.source(), extracted.report());
    }

    /**
     * The reading checked and normalised. What the document says never fails the lender: values that break a
     * rule are dropped with warnings (see {@link CriteriaValidator#review}), and warnings make update-lender
     * flag the lender for review.
     */
    public CriteriaRead validateEnrich(StepInput in) {
        CriteriaRead extracted = in.parent("extract-criteria", CriteriaRead.class);
        return CriteriaRead.of(CriteriaValidator.review(extracted.reading()), extracted.source(), null);
    }

    public LenderUpdated updateLender(StepInput in) {
        long lenderId = in.inputLong("lender_id");
        CriteriaRead validated = in.parent("validate-enrich", CriteriaRead.class);
        CriteriaReading reading = validated.reading();
        int version = lenders.saveCriteria(lenderId, UUID.fromString(in.runId()), reading, validated.source());
        metrics.criteriaExtracted(validated.source());
        if (reading.warnings().isEmpty()) {
            LOG.info("Lender ID: {} has criteria version {}", lenderId, version);
        } else {
            LOG.info("Lender ID: {} has criteria version {}, awaiting review ({} warnings)", lenderId, version,
                    reading.warnings().size());
        }
        return new LenderUpdated(lenderId, version, !reading.warnings().isEmpty());
    }

    public LenderFailed onFailure(StepInput in) {
        long lenderId = in.inputLong("lender_id");
        lenders.markFailed(lenderId, UUID.fromString(in.runId()), in.error());
        LOG.warn("Lender ID: {} failed: {}", lenderId, in.error());
        return new LenderFailed(lenderId);
    }
}
