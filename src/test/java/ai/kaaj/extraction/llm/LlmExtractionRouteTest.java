package ai.kaaj.extraction.llm;

import ai.kaaj.config.LlmSettings;
import ai.kaaj.support.FakeOpenAi;
import ai.kaaj.support.FakeOpenAi.Reply;
import com.fasterxml.jackson.databind.JsonNode;
import dev.langchain4j.data.message.ChatMessage;
import dev.langchain4j.data.message.SystemMessage;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.model.chat.ChatModel;
import org.apache.camel.BindToRegistry;
import org.apache.camel.CamelExecutionException;
import org.apache.camel.EndpointInject;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.test.main.junit5.CamelMainTest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * routes/llm-extraction.camel.yaml on its own: each route sends the chat messages to an OpenAI-compatible server
 * (in-process, real HTTP) with its purpose's strict JSON schema, answers with the assistant's content, and hands
 * failures back to the caller.
 */
@CamelMainTest(properties = "camel.main.routesIncludePattern=file:routes/llm-extraction.camel.yaml")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class LlmExtractionRouteTest {

    private final FakeOpenAi openAi = new FakeOpenAi();
    private final LlmSettings settings = new LlmSettings(FakeOpenAi.KEY, openAi.baseUrl(), "test-model",
            Duration.ofSeconds(10), 0, Duration.ofSeconds(1), 20_000);

    @BindToRegistry("criteriaChatModel")
    private final ChatModel criteria = OpenAiModels.forPurpose(settings, CriteriaTarget.PURPOSE, "lender_criteria",
            new TokenTally(), Clock.systemUTC());

    @BindToRegistry("applicationChatModel")
    private final ChatModel application = OpenAiModels.forPurpose(settings, ApplicationTarget.PURPOSE,
            "loan_application", new TokenTally(), Clock.systemUTC());

    @EndpointInject
    ProducerTemplate producer;

    LlmExtractionRouteTest() throws Exception {
    }

    @BeforeEach
    void reset() {
        openAi.reset();
    }

    @AfterAll
    void close() {
        openAi.close();
    }

    /** The component sets the model's answer into the list it is given: a mutable one, as LlmExtractor sends. */
    private static List<ChatMessage> messages() {
        return new ArrayList<>(List.of(SystemMessage.from("Read the criteria."), UserMessage.from("FICO 700+")));
    }

    @Test
    void eachRouteAsksWithItsOwnSchemaAndAnswersWithTheContent() {
        openAi.script(Reply.answer("{\"programs\": []}", 10, 5), Reply.answer("{\"fico\": 700}", 10, 5));
        assertThat(producer.requestBody("direct:llm.criteria", messages(), String.class))
                .isEqualTo("{\"programs\": []}");
        assertThat(producer.requestBody("direct:llm.application", messages(), String.class))
                .isEqualTo("{\"fico\": 700}");

        List<JsonNode> requests = openAi.requests();
        assertThat(requests).hasSize(2);
        JsonNode format = requests.get(0).path("response_format");
        assertThat(format.path("type").asText()).isEqualTo("json_schema");
        assertThat(format.path("json_schema").path("name").asText()).isEqualTo("lender_criteria");
        assertThat(format.path("json_schema").path("strict").asBoolean()).isTrue();
        assertThat(requests.get(1).path("response_format").path("json_schema").path("name").asText())
                .isEqualTo("loan_application");
        assertThat(FakeOpenAi.lastUserMessage(requests.get(0))).isEqualTo("FICO 700+");
    }

    @Test
    void aFailingServerIsTheCallersException() {
        openAi.answerWith(request -> Reply.error(500, "model overloaded", Map.of()));
        assertThatThrownBy(() -> producer.requestBody("direct:llm.criteria", messages(), String.class))
                .isInstanceOf(CamelExecutionException.class)
                .hasStackTraceContaining("model overloaded");
    }
}
