package ai.kaaj.extraction.llm;

import dev.langchain4j.model.chat.listener.ChatModelListener;
import dev.langchain4j.model.chat.listener.ChatModelResponseContext;
import dev.langchain4j.model.output.TokenUsage;

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

    private final ThreadLocal<long[]> current = new ThreadLocal<>();

    @Override
    public void onResponse(ChatModelResponseContext context) {
        long[] tally = current.get();
        if (tally == null) {
            return;
        }
        TokenUsage usage = context.chatResponse().tokenUsage();
        if (usage != null) {
            tally[0] += usage.inputTokenCount() == null ? 0 : usage.inputTokenCount();
            tally[1] += usage.outputTokenCount() == null ? 0 : usage.outputTokenCount();
        }
        tally[2]++;
    }

    /** Runs the work and returns what it returned with the tokens of the answers it got. */
    public <T> Counted<T> counting(Supplier<T> work) {
        long[] tally = new long[3];
        current.set(tally);
        try {
            T result = work.get();
            return new Counted<>(result, null, usage(tally));
        } catch (RuntimeException e) {
            return new Counted<>(null, e, usage(tally));
        } finally {
            current.remove();
        }
    }

    public record Counted<T>(T value, RuntimeException failure, Usage usage) {
    }

    private static Usage usage(long[] tally) {
        return new Usage(tally[0], tally[1], (int) tally[2]);
    }
}
