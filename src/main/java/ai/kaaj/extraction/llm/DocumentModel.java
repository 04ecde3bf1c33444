package ai.kaaj.extraction.llm;

import ai.kaaj.documents.PageText;
import ai.kaaj.extraction.llm.LlmExtractor.Extracted;

import java.time.Instant;
import java.util.List;

/** What reads a document's pages with a language model, the rules' reading standing by. */
public interface DocumentModel {

    /** The model's reading of the pages, or byRules where the model cannot give one; stepDeadline may be null. */
    <T> Extracted<T> extract(LlmTarget<T> target, List<PageText> pages, T byRules, Instant stepDeadline);

    /** No model configured (OPENAI_API_KEY unset): the rules' reading is the answer. */
    DocumentModel NONE = new DocumentModel() {
        @Override
        public <T> Extracted<T> extract(LlmTarget<T> target, List<PageText> pages, T byRules, Instant stepDeadline) {
            return new Extracted<>(byRules, "rules", null);
        }
    };
}
