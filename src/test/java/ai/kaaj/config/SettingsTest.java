package ai.kaaj.config;

import ai.kaaj.documents.DocumentLimits;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SettingsTest {

    private static final Path PROPERTIES = Path.of("config/application.properties");

    @TempDir
    Path dir;

    @Test
    void defaultsComeFromThePropertiesFile() {
        Settings settings = Settings.from(AppConfig.load(PROPERTIES, dir.resolve(".env"), Map.of()));
        assertThat(settings.httpPort()).isEqualTo(8080);
        assertThat(settings.maxUploadBytes()).isEqualTo(25L * 1024 * 1024);
        assertThat(settings.inboxDir()).isEqualTo(Path.of("inbox"));
        assertThat(settings.databaseUrl()).isNull();
        assertThat(settings.apiKey()).isNull();
    }

    @Test
    void environmentBeatsDotEnvWhichBeatsTheFile() throws Exception {
        Files.writeString(dir.resolve(".env"), """
                # comment
                export KAAJ_HTTP_PORT=9090
                KAAJ_MAX_UPLOAD_MB="5"
                KAAJ_API_KEY='s3cret'
                """);
        Settings settings = Settings.from(AppConfig.load(PROPERTIES, dir.resolve(".env"),
                Map.of("KAAJ_HTTP_PORT", "9191", "DATABASE_URL", "postgresql://u:p@db:5432/kaaj")));
        assertThat(settings.httpPort()).isEqualTo(9191);
        assertThat(settings.maxUploadBytes()).isEqualTo(5L * 1024 * 1024);
        assertThat(settings.apiKey()).isEqualTo("s3cret");
        assertThat(settings.databaseUrl()).isEqualTo("postgresql://u:p@db:5432/kaaj");
    }

    @Test
    void documentLimitsAndTheReaderHeapAreSettings() {
        Settings defaults = Settings.from(AppConfig.load(PROPERTIES, dir.resolve(".env"), Map.of()));
        assertThat(defaults.documentLimits()).isEqualTo(new DocumentLimits(1000, 50_000, 2_000_000, 3_000_000,
                1_000_000, 60));
        assertThat(defaults.readerHeapMb()).isEqualTo(192);
        Settings tight = Settings.from(AppConfig.load(PROPERTIES, dir.resolve(".env"),
                Map.of("KAAJ_DOCUMENTS_MAX_PAGES", "5", "KAAJ_OCR_MAX_MEGAPIXELS", "20")));
        assertThat(tight.documentLimits().maxPages()).isEqualTo(5);
        assertThat(tight.documentLimits().ocrMaxMegapixels()).isEqualTo(20);
        assertThatThrownBy(() -> Settings.from(AppConfig.load(PROPERTIES, dir.resolve(".env"),
                Map.of("KAAJ_READER_HEAP_MB", "16"))))
                .hasMessageContaining("KAAJ_READER_HEAP_MB=16 is out of range");
    }

    @Test
    void aWrongValueNamesItsVariable() {
        assertThatThrownBy(() -> Settings.from(AppConfig.load(PROPERTIES, dir.resolve(".env"),
                Map.of("KAAJ_HTTP_PORT", "eighty"))))
                .hasMessageContaining("KAAJ_HTTP_PORT=eighty");
        assertThatThrownBy(() -> Settings.from(AppConfig.load(PROPERTIES, dir.resolve(".env"),
                Map.of("KAAJ_WORKER_SLOTS", "0"))))
                .hasMessageContaining("KAAJ_WORKER_SLOTS=0 is out of range");
        assertThatThrownBy(() -> Settings.from(AppConfig.load(PROPERTIES, dir.resolve(".env"),
                Map.of("DATABASE_URL", "mysql://localhost/x"))))
                .hasMessageContaining("DATABASE_URL");
    }

    @Test
    void theModelIsConfiguredByTheOpenAiVariablesAndItsKeyIsNeverPrinted() {
        assertThat(Settings.from(AppConfig.load(PROPERTIES, dir.resolve(".env"), Map.of())).llm())
                .as("no key: the rule extractor alone").isNull();
        LlmSettings llm = Settings.from(AppConfig.load(PROPERTIES, dir.resolve(".env"), Map.of(
                "OPENAI_API_KEY", "sk-abc", "OPENAI_BASE_URL", "http://localhost:11434/v1/",
                "OPENAI_MODEL", "llama3.1"))).llm();
        assertThat(llm.baseUrl()).isEqualTo("http://localhost:11434/v1");
        assertThat(llm.model()).isEqualTo("llama3.1");
        assertThat(llm.toString()).doesNotContain("sk-abc");
        assertThat(Settings.from(AppConfig.load(PROPERTIES, dir.resolve(".env"), Map.of("OPENAI_API_KEY", "k")))
                .llm().baseUrl()).isEqualTo("https://api.openai.com/v1");
        assertThatThrownBy(() -> Settings.from(AppConfig.load(PROPERTIES, dir.resolve(".env"),
                Map.of("OPENAI_API_KEY", "k", "OPENAI_BASE_URL", "localhost:11434"))))
                .hasMessageContaining("OPENAI_BASE_URL=localhost:11434 is not an http(s) URL");
    }

    @Test
    void aMalformedDotEnvLineIsReported() throws Exception {
        Files.writeString(dir.resolve(".env"), "KAAJ_HTTP_PORT 9090\n");
        assertThatThrownBy(() -> AppConfig.load(PROPERTIES, dir.resolve(".env"), Map.of()))
                .hasMessageContaining("line 1");
    }
}
