package ai.kaaj.extraction.llm;

import dev.langchain4j.data.message.ChatMessage;

import java.util.List;

/** One chat request to the model that answers for a purpose ("criteria" or "application"); the answer's text. */
@FunctionalInterface
public interface LlmChat {
    String chat(String purpose, List<ChatMessage> messages);
}
