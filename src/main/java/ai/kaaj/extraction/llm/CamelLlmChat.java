package ai.kaaj.extraction.llm;

import dev.langchain4j.data.message.ChatMessage;
import org.apache.camel.CamelContext;
import org.apache.camel.CamelExecutionException;
import org.apache.camel.ProducerTemplate;

import java.util.List;

/** Sends the messages through the route direct:llm.&lt;purpose&gt; (camel-langchain4j-chat); usable once Camel runs. */
public final class CamelLlmChat implements LlmChat {

    private volatile ProducerTemplate producer;

    public void connect(CamelContext context) {
        producer = context.createProducerTemplate();
    }

    @Override
    public String chat(String purpose, List<ChatMessage> messages) {
        ProducerTemplate template = producer;
        if (template == null) {
            throw new IllegalStateException("the LLM routes are not started yet");
        }
        try {
            return template.requestBody("direct:llm." + purpose, messages, String.class);
        } catch (CamelExecutionException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            throw cause instanceof RuntimeException runtime ? runtime : new IllegalStateException(cause);
        }
    }
}
