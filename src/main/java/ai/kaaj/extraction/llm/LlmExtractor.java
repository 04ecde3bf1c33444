package ai.kaaj.extraction.llm;

import ai.kaaj.documents.PageText;
import ai.kaaj.domain.Json;
import ai.kaaj.engine.DaemonThreads;
import ai.kaaj.metrics.ProductMetrics;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.data.message.ChatMessage;
import dev.langchain4j.data.message.SystemMessage;
import dev.langchain4j.data.message.UserMessage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

import static ai.kaaj.engine.StepRunner.describe;

/**
 * Reads a document with the model, the rule extractor's result standing by. The pages are sent in
 * parts small enough for the model's context; each part's answer is checked (JSON, schema, field
 * ranges) and, when it fails, asked for once more with the problems named; the parts' answers are
 * merged, then the fields the model left null are filled from the rules. Any failure (the server,
 * the schema twice, the time budget) gives the rules' result instead, with the reason in the report.
 */
public final class LlmExtractor implements DocumentModel {

    private static final Logger LOG = LoggerFactory.getLogger(LlmExtractor.class);

    /**
     * The value to use, which extractor produced it (llm, rules or llm+rules), and what the model cost
     * (null when no model read the document).
     */
    public record Extracted<T>(T value, String source, Map<String, Object> report) {
    }

    /** The model gave no usable reading: the reason (the API key redacted) and what it cost until then. */
    public static final class ModelFailed extends RuntimeException {
        private final transient Map<String, Object> report;

        ModelFailed(String reason, Map<String, Object> report) {
            super(reason);
            this.report = report;
        }
    }

    /** An answer the extraction cannot use. */
    static final class LlmFailure extends RuntimeException {
        LlmFailure(String message) {
            super(message);
        }
    }

    private final LlmChat chat;
    private final TokenTally tally;
    private final String model;
    private final int partChars;
    private final String apiKey;
    private final ProductMetrics metrics;
    /** Reads documents off the step's thread, so that the step can stop waiting when the budget is spent. */
    private final ExecutorService reader = Executors.newCachedThreadPool(DaemonThreads.named("kaaj-llm-reader"));

    public LlmExtractor(LlmChat chat, TokenTally tally, String model, int partChars, String apiKey,
                        ProductMetrics metrics) {
        this.metrics = metrics;
        this.chat = chat;
        this.tally = tally;
        this.model = model;
        this.partChars = partChars;
        this.apiKey = apiKey;
    }

    /** Left for the step after the model's time is up: the rules' answer and the step's last writes. */
    static final Duration RULES_MARGIN = Duration.ofSeconds(5);
    /** The model's time when the caller has no deadline (outside a workflow step). */
    static final Duration DEFAULT_BUDGET = Duration.ofSeconds(90);

    /**
     * The model's reading of the pages, filled from byRules; it fails when the model fails or does not
     * finish before the step's deadline less a margin, so that the rules' answer is still in time;
     * stepDeadline may be null outside a step.
     */
    @Override
    public <T> Extracted<T> read(LlmTarget<T> target, List<PageText> pages, T byRules, Instant stepDeadline) {
        Duration budget = stepDeadline == null ? DEFAULT_BUDGET
                : Duration.between(Instant.now(), stepDeadline).minus(RULES_MARGIN);
        List<String> parts = parts(pages, partChars);
        TokenTally.Counter counter = new TokenTally.Counter();
        if (budget.isNegative() || budget.isZero()) {
            throw failed(parts, counter, "the step had no time left for the model");
        }
        AtomicInteger partsRead = new AtomicInteger();
        Future<T> reading = reader.submit(() -> tally.counting(counter, () -> readAll(target, parts, partsRead)));
        T value;
        try {
            value = reading.get(budget.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            reading.cancel(true);
            throw failed(parts, counter, "the model did not finish within the "
                    + Math.round(budget.toMillis() / 1000.0) + " s the step had left (" + partsRead.get() + " of "
                    + parts.size() + " parts read)");
        } catch (ExecutionException e) {
            throw failed(parts, counter, describe(e.getCause()));
        } catch (InterruptedException e) {
            // the step itself is being cancelled
            reading.cancel(true);
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while the model was reading the document", e);
        }
        // each part's answer was checked; the merged and filled whole must pass the same checks
        NullFill.Filled<T> filled = target.fillFrom(value, byRules);
        List<String> filledProblems = target.check(filled.value());
        if (filledProblems.isEmpty()) {
            return done(target, filled.value(), filled.changed() ? "llm+rules" : "llm", report(parts, counter));
        }
        List<String> problems = target.check(value);
        if (problems.isEmpty()) {
            Map<String, Object> report = report(parts, counter);
            report.put("rules_fill_dropped", String.join("; ", filledProblems));
            return done(target, value, "llm", report);
        }
        throw failed(parts, counter, "the parts' answers do not fit together: " + String.join("; ", problems));
    }

    /** What the model was asked and what it cost, for the step's output. */
    private Map<String, Object> report(List<String> parts, TokenTally.Counter counter) {
        TokenTally.Usage usage = counter.usage();
        Map<String, Object> report = new LinkedHashMap<>();
        report.put("model", model);
        report.put("parts", parts.size());
        report.put("requests", usage.requests());
        report.put("prompt_tokens", usage.promptTokens());
        report.put("completion_tokens", usage.completionTokens());
        return report;
    }

    private ModelFailed failed(List<String> parts, TokenTally.Counter counter, String reason) {
        return new ModelFailed(redact(reason), report(parts, counter));
    }

    /** byRules, with the model's failure in the report and one warning; the report counts what the model cost. */
    @Override
    public <T> Extracted<T> fallback(LlmTarget<T> target, List<PageText> pages, T byRules, Throwable failure) {
        Map<String, Object> report = failure instanceof ModelFailed failed ? failed.report
                : report(parts(pages, partChars), new TokenTally.Counter());
        String reason = redact(failure == null ? "the circuit breaker is open after repeated model failures: the model was not called" : describe(failure));
        report.put("fallback", reason);
        LOG.warn("The model could not read the {}; using the rule extractor's: {}", target.purpose(), reason);
        return done(target, byRules, "rules", report);
    }

    /** The result, counted in the metrics by target and source with the tokens it cost. */
    private <T> Extracted<T> done(LlmTarget<T> target, T value, String source, Map<String, Object> report) {
        metrics.llmExtraction(target.purpose(), source, (long) report.get("prompt_tokens"),
                (long) report.get("completion_tokens"));
        return new Extracted<>(value, source, report);
    }

    private <T> T readAll(LlmTarget<T> target, List<String> parts, AtomicInteger partsRead) {
        List<T> answers = new ArrayList<>();
        for (int i = 0; i < parts.size(); i++) {
            String heading = parts.size() == 1 ? "The document:\n\n"
                    : "Part " + (i + 1) + " of " + parts.size() + " of the document:\n\n";
            answers.add(readPart(target, heading + parts.get(i)));
            partsRead.incrementAndGet();
        }
        return target.merge(answers);
    }

    private <T> T readPart(LlmTarget<T> target, String text) {
        List<ChatMessage> messages = new ArrayList<>(List.of(
                SystemMessage.from(target.instructions()), UserMessage.from(text)));
        String answer = chat.chat(target.purpose(), messages);
        Checked<T> first = check(target, answer, text);
        if (first.errors().isEmpty()) {
            return first.value();
        }
        messages.add(AiMessage.from(answer == null ? "" : answer));
        messages.add(UserMessage.from("That answer is not valid: " + String.join("; ", first.errors())
                + ". Answer again with the complete, corrected JSON object only."));
        Checked<T> second = check(target, chat.chat(target.purpose(), messages), text);
        if (second.errors().isEmpty()) {
            return second.value();
        }
        throw new LlmFailure("the model's answer did not fit the schema twice: " + String.join("; ", second.errors()));
    }

    record Checked<T>(T value, List<String> errors) {
    }

    /** The answer to the part whose text was sent as the target's value, or the problems with it. */
    static <T> Checked<T> check(LlmTarget<T> target, String answer, String partText) {
        String json = withoutFence(answer == null ? "" : answer.strip());
        JsonNode node;
        try {
            node = Json.MAPPER.readTree(json);
        } catch (JsonProcessingException e) {
            return new Checked<>(null, List.of("the answer is not JSON: " + e.getOriginalMessage()));
        }
        if (node == null || !node.isObject()) {
            return new Checked<>(null, List.of("the answer is not a JSON object"));
        }
        T value;
        try {
            value = target.read(node, partText);
        } catch (JsonProcessingException e) {
            return new Checked<>(null, List.of("the answer does not fit the schema" + Json.whereIs(e) + ": "
                    + e.getOriginalMessage()));
        }
        List<String> errors = target.check(value);
        return new Checked<>(errors.isEmpty() ? value : null, errors);
    }

    /** Some compatible servers wrap JSON in a Markdown code fence even when asked for JSON. */
    private static String withoutFence(String text) {
        if (text.startsWith("```")) {
            int firstLine = text.indexOf('\n');
            int end = text.lastIndexOf("```");
            if (firstLine > 0 && end > firstLine) {
                return text.substring(firstLine + 1, end).strip();
            }
        }
        return text;
    }

    /**
     * The pages, in order, packed into parts of at most maxChars characters; a page longer than that
     * is cut at line ends. Each page is headed with its number so the model can tell pages apart (and a quote
     * can be traced to its page), a page's later pieces with "[page N, continued]".
     */
    static List<String> parts(List<PageText> pages, int maxChars) {
        List<String> parts = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        for (PageText page : pages) {
            String continued = "[page " + page.pageNumber() + ", continued]\n";
            List<String> pieces = pieces("[page " + page.pageNumber() + "]\n" + page.text().strip() + "\n\n",
                    Math.max(maxChars / 2, maxChars - continued.length()));
            for (int i = 0; i < pieces.size(); i++) {
                String piece = i == 0 ? pieces.get(i) : continued + pieces.get(i);
                if (current.length() > 0 && current.length() + piece.length() > maxChars) {
                    parts.add(current.toString());
                    current.setLength(0);
                }
                current.append(piece);
            }
        }
        if (current.length() > 0 || parts.isEmpty()) {
            parts.add(current.toString());
        }
        return parts;
    }

    private static List<String> pieces(String text, int maxChars) {
        List<String> pieces = new ArrayList<>();
        int start = 0;
        while (text.length() - start > maxChars) {
            int cut = text.lastIndexOf('\n', start + maxChars);
            if (cut <= start) {
                cut = start + maxChars;
            }
            pieces.add(text.substring(start, cut));
            start = cut;
        }
        pieces.add(text.substring(start));
        return pieces;
    }

    /** The key never leaves the process: not in logs, errors, run history or health. */
    private String redact(String text) {
        return apiKey == null || apiKey.isEmpty() ? text : text.replace(apiKey, "[OPENAI_API_KEY]");
    }
}
