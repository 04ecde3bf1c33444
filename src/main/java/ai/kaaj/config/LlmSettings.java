package ai.kaaj.config;

import java.net.URI;
import java.time.Duration;

/**
 * How to reach the model that reads documents: OpenAI, or any server speaking its chat-completions
 * API (vLLM, Ollama, LM Studio, gateways). Absent (null in Settings) when OPENAI_API_KEY is unset.
 */
public record LlmSettings(
        String apiKey,
        String baseUrl,
        String model,
        Duration requestTimeout,
        int maxRetries,
        Duration maxRetryWait,
        int partChars) {

    /** Never prints the key: records print every component otherwise. */
    @Override
    public String toString() {
        return "LlmSettings[baseUrl=" + baseUrl + ", model=" + model + "]";
    }

    static LlmSettings from(AppConfig config) {
        String apiKey = config.optional("openai.api.key");
        if (apiKey == null) {
            return null;
        }
        String baseUrl = config.string("openai.base.url");
        URI uri;
        try {
            uri = URI.create(baseUrl);
        } catch (IllegalArgumentException e) {
            uri = null;
        }
        if (uri == null || uri.getHost() == null
                || !("http".equals(uri.getScheme()) || "https".equals(uri.getScheme()))) {
            throw new AppConfig.ConfigException("OPENAI_BASE_URL=" + baseUrl
                    + " is not an http(s) URL such as https://api.openai.com/v1 or http://localhost:11434/v1");
        }
        String model = config.string("openai.model");
        if (model.isBlank()) {
            throw new AppConfig.ConfigException("OPENAI_MODEL is empty: name the model, e.g. gpt-4.1-mini");
        }
        return new LlmSettings(apiKey, baseUrl.replaceAll("/+$", ""), model,
                Duration.ofSeconds(config.integer("kaaj.llm.timeout.seconds", 1, 600)),
                config.integer("kaaj.llm.max.retries", 0, 20),
                Duration.ofSeconds(config.integer("kaaj.llm.max.retry.wait.seconds", 0, 600)),
                config.integer("kaaj.llm.part.chars", 1000, 2_000_000));
    }
}
