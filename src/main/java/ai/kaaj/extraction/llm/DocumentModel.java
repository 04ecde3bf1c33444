package ai.kaaj.extraction.llm;

import ai.kaaj.documents.PageText;
import ai.kaaj.extraction.llm.LlmExtractor.Extracted;

import java.time.Instant;
import java.util.List;

/** What reads a document's pages with a language model, the rules' reading standing by. */
public interface DocumentModel {

    /**
     * The model's reading of the pages, filled from byRules; stepDeadline may be null.
     *
     * @throws LlmExtractor.ModelFailed when the model gives no usable reading in time
     */
    <T> Extracted<T> read(LlmTarget<T> target, List<PageText> pages, T byRules, Instant stepDeadline);

    /** byRules in the model's place after read failed with failure (null when an open circuit breaker did not call it). */
    <T> Extracted<T> fallback(LlmTarget<T> target, List<PageText> pages, T byRules, Throwable failure);

    /** The model's reading of the pages, or byRules where the model cannot give one; stepDeadline may be null. */
    default <T> Extracted<T> extract(LlmTarget<T> target, List<PageText> pages, T byRules, Instant stepDeadline) {
        try {
            return read(target, pages, byRules, stepDeadline);
        } catch (LlmExtractor.ModelFailed failure) {
            return fallback(target, pages, byRules, failure);
        }
    }

    /** No model configured (OPENAI_API_KEY unset): the rules' reading is the answer. */
    DocumentModel NONE = new DocumentModel() {
        @Override
        public <T> Extracted<T> read(LlmTarget<T> target, List<PageText> pages, T byRules, Instant stepDeadline) {
            return new Extracted<>(byRules, "rules", null);
        }

        @Override
        public <T> Extracted<T> fallback(LlmTarget<T> target, List<PageText> pages, T byRules, Throwable failure) {
            return new Extracted<>(byRules, "rules", null);
        }
    };
}
