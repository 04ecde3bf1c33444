package ai.kaaj.extraction.llm;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;

import java.util.List;

/** What the model is asked to read out of a document, and how its answers are checked and combined. */
public interface LlmTarget<T> {

    /** Names the chat route (direct:llm.&lt;purpose&gt;) whose model carries this target's JSON schema. */
    String purpose();

    /** The value of one part's answer (a JSON object); partText is the text the model was sent for that part. */
    T read(JsonNode answer, String partText) throws JsonProcessingException;

    /** The system prompt: what to read and how to write each field. */
    String instructions();

    /** Problems with one part's answer, each naming its field; empty when it is acceptable. */
    List<String> check(T answer);

    /** One value from the answers for the document's parts, in page order; the same parts give the same value. */
    T merge(List<T> parts);

    /** The model's value with the fields it left null taken from the rule extractor's value. */
    NullFill.Filled<T> fillFrom(T byModel, T byRules);
}
