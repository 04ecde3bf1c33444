package ai.kaaj.extraction.llm;

import ai.kaaj.config.LlmSettings;
import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.chat.request.ResponseFormat;
import dev.langchain4j.model.chat.request.ResponseFormatType;
import dev.langchain4j.model.chat.request.json.JsonRawSchema;
import dev.langchain4j.model.chat.request.json.JsonSchema;
import dev.langchain4j.model.openai.OpenAiChatModel;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.List;

/**
 * langchain4j's OpenAI chat models the llm.* routes use, one per JSON schema: camel-langchain4j-chat
 * has no per-request response format, so the schema (strict structured output) is set on the model.
 */
public final class OpenAiModels {

    private OpenAiModels() {
    }

    /** schemaName names the schema in the request; the schema is src/main/resources/llm/&lt;purpose&gt;.schema.json. */
    public static ChatModel forPurpose(LlmSettings settings, String purpose, String schemaName, TokenTally tally,
                                       Clock clock) {
        ResponseFormat format = ResponseFormat.builder()
                .type(ResponseFormatType.JSON)
                .jsonSchema(JsonSchema.builder().name(schemaName)
                        .rootElement(JsonRawSchema.from(schema(purpose))).build())
                .build();
        OpenAiHttpClient http = new OpenAiHttpClient(settings.requestTimeout(), settings.maxRetries(),
                settings.maxRetryWait(), clock, settings.apiKey());
        return OpenAiChatModel.builder()
                .baseUrl(settings.baseUrl())
                .apiKey(settings.apiKey())
                .modelName(settings.model())
                .responseFormat(format)
                .strictJsonSchema(true)
                .timeout(settings.requestTimeout())
                // OpenAiHttpClient retries (it reads Retry-After); langchain4j's own retries would multiply them
                .maxRetries(0)
                .httpClientBuilder(http.asBuilder())
                .listeners(List.of(tally))
                .logRequests(false)
                .logResponses(false)
                .build();
    }

    public static String schema(String purpose) {
        String resource = "/llm/" + purpose + ".schema.json";
        try (InputStream in = OpenAiModels.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException(resource + " is missing from the build");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
