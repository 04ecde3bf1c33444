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
import ai.kaaj.store.LenderStore;
import ai.kaaj.store.LenderStore.LenderRow;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
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
        Document document = documents.find(documentId)
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

    public Map<String, Object> extractText(StepInput in) {
        long documentId = in.inputLong("document_id");
        Document document = documents.find(documentId)
                .orElseThrow(() -> new StepFailure("document " + documentId + " not found"));
        // PDFs are read in a child JVM within the document limits; plain text only needs its length checked
        List<PageText> pages = "application/pdf".equals(document.contentType())
                ? reader.pages(document.content(), document.fileName())
                : textPages(document.content(), document.fileName(), limits);
        documents.savePages(documentId, pages);
        pages.stream().collect(Collectors.groupingBy(PageText::method, Collectors.counting()))
                .forEach((method, count) -> metrics.pagesRead(method, count.intValue()));
        LOG.info("Read {} pages of document {} ({})", pages.size(), documentId, document.fileName());
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("document_id", documentId);
        out.put("pages", pages.size());
        out.put("methods", pages.stream().map(PageText::method).toList());
        out.put("chars", pages.stream().mapToInt(p -> p.text().length()).sum());
        return out;
    }

    /** Plain text documents: pages are separated by form feeds, as PDF text exports write them. */
    static List<PageText> textPages(byte[] content, String fileName, DocumentLimits limits) {
        String text = new String(content, StandardCharsets.UTF_8);
        limits.checkChars(fileName, text.length());
        String[] parts = text.split("\f");
        List<PageText> pages = new ArrayList<>();
        for (int i = 0; i < parts.length; i++) {
            pages.add(new PageText(i + 1, "text", parts[i]));
        }
        return pages;
    }

    /** The criteria read from the pages with each value's evidence and the reader's warnings. */
    public Map<String, Object> extractCriteria(StepInput in) {
        long documentId = in.inputLong("document_id");
        List<PageText> pages = documents.pages(documentId);
        CriteriaReading byRules = ruleExtractor.read(GuidelineLine.ofPages(pages));
        Extracted<CriteriaReading> extracted = llm.extract(CRITERIA, pages, byRules, in.deadline());
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
