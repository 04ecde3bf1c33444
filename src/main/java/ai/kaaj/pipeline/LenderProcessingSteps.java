package ai.kaaj.pipeline;

import ai.kaaj.documents.DocumentLimits;
import ai.kaaj.documents.PageText;
import ai.kaaj.documents.ReaderProcess;
import ai.kaaj.domain.CriteriaReading;
import ai.kaaj.domain.Evidence;
import ai.kaaj.domain.Json;
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
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import org.apache.camel.Body;
import org.apache.camel.Exchange;
import org.apache.camel.ExchangeProperty;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * The lender-processing steps, one method per step route. Steps pass ids and small results;
 * document text and criteria live in PostgreSQL.
 */
public final class LenderProcessingSteps {

    private static final Logger LOG = LoggerFactory.getLogger("ai.kaaj.engine");
    private static final CriteriaTarget CRITERIA = new CriteriaTarget();

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

    public Map<String, Object> fetchLender(StepInput in) {
        long lenderId = in.inputLong("lender_id");
        long documentId = in.inputLong("document_id");
        LenderRow lender = lenders.find(lenderId)
                .orElseThrow(() -> new StepFailure("lender " + lenderId + " not found"));
        DocumentName document = documents.findName(documentId)
                .orElseThrow(() -> new StepFailure("document " + documentId + " not found"));
        LOG.info("Processing lender ID: {}", lenderId);
        lenders.markProcessing(lenderId);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("lender_id", lenderId);
        out.put("lender_name", lender.name());
        out.put("document_id", documentId);
        out.put("file_name", document.fileName());
        out.put("content_type", document.contentType());
        return out;
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
    public Map<String, Object> savePages(@ExchangeProperty("document") Document document,
                                         @Body List<PageText> pages) {
        documents.savePages(document.id(), pages);
        pages.stream().collect(Collectors.groupingBy(PageText::method, Collectors.counting()))
                .forEach((method, count) -> metrics.pagesRead(method, count.intValue()));
        LOG.info("Read {} pages of document {} ({})", pages.size(), document.id(), document.fileName());
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("document_id", document.id());
        out.put("pages", pages.size());
        out.put("methods", pages.stream().map(PageText::method).toList());
        out.put("chars", pages.stream().mapToInt(p -> p.text().length()).sum());
        return out;
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
    public Map<String, Object> readByModel(@Body StepInput in, @ExchangeProperty("pages") List<PageText> pages,
                                           @ExchangeProperty("byRules") CriteriaReading byRules) {
        return criteriaOutput(llm.read(CRITERIA, pages, byRules, in.deadline()));
    }

    /** The rules' reading in place of the model's, with why the model failed in the "llm" report. */
    public Map<String, Object> readByRulesInstead(@ExchangeProperty("pages") List<PageText> pages,
                                                  @ExchangeProperty("byRules") CriteriaReading byRules,
                                                  @ExchangeProperty(Exchange.EXCEPTION_CAUGHT) Throwable failure) {
        return criteriaOutput(llm.fallback(CRITERIA, pages, byRules, failure));
    }

    private static Map<String, Object> criteriaOutput(Extracted<CriteriaReading> extracted) {
        Map<String, Object> out = new LinkedHashMap<>();
        putReading(out, extracted.value());
        extracted.describeIn(out);
        return out;
    }

    /**
     * The reading checked and normalised. What the document says never fails the lender: values that break a
     * rule are dropped with warnings (see {@link CriteriaValidator#review}), and warnings make update-lender
     * flag the lender for review.
     */
    public Map<String, Object> validateEnrich(StepInput in) {
        var extracted = in.parent("extract-criteria");
        CriteriaReading reviewed = CriteriaValidator.review(readReading(extracted));
        Map<String, Object> out = new LinkedHashMap<>();
        putReading(out, reviewed);
        out.put("source", extracted.path("source").asText("rules"));
        return out;
    }

    public Map<String, Object> updateLender(StepInput in) {
        long lenderId = in.inputLong("lender_id");
        var validated = in.parent("validate-enrich");
        String source = validated.path("source").asText();
        CriteriaReading reading = readReading(validated);
        int version = lenders.saveCriteria(lenderId, UUID.fromString(in.runId()), reading, source);
        metrics.criteriaExtracted(source);
        if (reading.warnings().isEmpty()) {
            LOG.info("Lender ID: {} has criteria version {}", lenderId, version);
        } else {
            LOG.info("Lender ID: {} has criteria version {}, awaiting review ({} warnings)", lenderId, version,
                    reading.warnings().size());
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("lender_id", lenderId);
        out.put("criteria_version", version);
        out.put("review_required", !reading.warnings().isEmpty());
        return out;
    }

    public Map<String, Object> onFailure(StepInput in) {
        long lenderId = in.inputLong("lender_id");
        lenders.markFailed(lenderId, in.error());
        LOG.warn("Lender ID: {} failed: {}", lenderId, in.error());
        return Map.of("lender_id", lenderId);
    }

    private static final TypeReference<Map<String, Evidence>> EVIDENCE = new TypeReference<>() {
    };
    private static final TypeReference<List<String>> WARNINGS = new TypeReference<>() {
    };

    private static void putReading(Map<String, Object> out, CriteriaReading reading) {
        out.put("criteria", reading.criteria());
        out.put("evidence", reading.evidence());
        out.put("warnings", reading.warnings());
    }

    /** A reading from a step's output; one stored before evidence existed has none. */
    private static CriteriaReading readReading(JsonNode output) {
        try {
            JsonNode evidence = output.get("evidence");
            JsonNode warnings = output.get("warnings");
            return new CriteriaReading(Json.MAPPER.treeToValue(output.get("criteria"), LenderCriteria.class),
                    evidence == null ? null : Json.MAPPER.treeToValue(evidence, Json.MAPPER.constructType(EVIDENCE)),
                    warnings == null ? null : Json.MAPPER.treeToValue(warnings, Json.MAPPER.constructType(WARNINGS)));
        } catch (JsonProcessingException e) {
            throw new StepFailure("extracted criteria do not fit the schema: " + e.getOriginalMessage());
        }
    }
}
