package ai.kaaj.extraction.llm;

import dev.langchain4j.model.chat.listener.ChatModelListener;
import dev.langchain4j.model.chat.listener.ChatModelResponseContext;
import dev.langchain4j.model.output.TokenUsage;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * Adds up the tokens the model reports for the requests one extraction makes. camel-langchain4j-chat
 * returns only the answer's text, so the count is taken by a listener on the model; the chat route is
 * direct: (same thread), and langchain4j calls listeners on the calling thread, so a thread-local
 * tally sees exactly this extraction's requests.
 */
public final class TokenTally implements ChatModelListener {

    public record Usage(long promptTokens, long completionTokens, int requests) {
    }

    /** One extraction's running totals; readable from another thread while the extraction goes on. */
    public static final class Counter {
        private final AtomicLong prompt = new AtomicLong();
        private final AtomicLong completion = new AtomicLong();
        private final AtomicInteger requests = new AtomicInteger();

        public Usage usage() {
            return new Usage(prompt.get(), completion.get(), requests.get());
        }
    }

    private final ThreadLocal<Counter> current = new ThreadLocal<>();

    @Override
    public void onResponse(ChatModelResponseContext context) {
        Counter counter = current.get();
        if (counter == null) {
            return;
        }
        TokenUsage usage = context.chatResponse().tokenUsage();
        if (usage != null) {
            counter.prompt.addAndGet(usage.inputTokenCount() == null ? 0 : usage.inputTokenCount());
            counter.completion.addAndGet(usage.outputTokenCount() == null ? 0 : usage.outputTokenCount());
        }
        counter.requests.incrementAndGet();
    }

    /** Runs the work on this thread, counting the tokens of the answers it gets into the counter. */
    public <T> T counting(Counter counter, Supplier<T> work) {
        current.set(counter);
        try {
            return work.get();
        } finally {
            current.remove();
        }
    }
}
