package ai.kaaj.config;

import ai.kaaj.documents.DocumentLimits;

import java.nio.file.Path;
import java.time.Duration;

/** The settings the service runs with, typed and checked once at start-up. */
public record Settings(
        int httpPort,
        String apiKey,
        long maxUploadBytes,
        Duration httpIdleTimeout,
        Path inboxDir,
        long inboxPollMs,
        Path dataDir,
        String databaseUrl,
        int embeddedDbPort,
        int dbPoolSize,
        int workerSlots,
        Duration stopGrace,
        Duration lease,
        Duration enginePoll,
        Path ocrTessdata,
        String ocrLanguage,
        int ocrDpi,
        int ocrMinTextChars,
        DocumentLimits documentLimits,
        int readerHeapMb,
        LlmSettings llm,
        HatchetSettings hatchet) {

    public static Settings from(AppConfig config) {
        String databaseUrl = config.optional("database.url");
        if (databaseUrl != null && !databaseUrl.startsWith("jdbc:postgresql:")
                && !databaseUrl.startsWith("postgres://") && !databaseUrl.startsWith("postgresql://")) {
            throw new AppConfig.ConfigException("DATABASE_URL must be a jdbc:postgresql:// or postgresql:// URL, not '"
                    + databaseUrl + "'");
        }
        String tessdata = config.optional("kaaj.ocr.tessdata");
        String language = config.string("kaaj.ocr.language");
        if (!language.matches("[a-z_]+(\\+[a-z_]+)*")) {
            throw new AppConfig.ConfigException("KAAJ_OCR_LANGUAGE=" + language
                    + " is not a tesseract language list such as eng or eng+deu");
        }
        return new Settings(
                config.integer("kaaj.http.port", 0, 65535),
                config.optional("kaaj.api.key"),
                config.integer("kaaj.max.upload.mb", 1, 1024) * 1024L * 1024L,
                Duration.ofSeconds(config.integer("kaaj.http.idle.timeout.seconds", 1, 3600)),
                config.path("kaaj.inbox.dir"),
                config.integer("kaaj.inbox.poll.ms", 50, 600_000),
                config.path("kaaj.data.dir"),
                databaseUrl,
                config.port("kaaj.embedded.db.port"),
                config.integer("kaaj.db.pool.size", 2, 200),
                config.integer("kaaj.worker.slots", 1, 256),
                Duration.ofSeconds(config.integer("kaaj.worker.stop.grace.seconds", 0, 3600)),
                Duration.ofSeconds(config.integer("kaaj.engine.lease.seconds", 2, 3600)),
                Duration.ofMillis(config.integer("kaaj.engine.poll.ms", 10, 60_000)),
                tessdata == null ? null : Path.of(tessdata),
                language,
                config.integer("kaaj.ocr.dpi", 72, 600),
                config.integer("kaaj.ocr.min.text.chars", 0, 10_000),
                new DocumentLimits(
                        config.integer("kaaj.documents.max.pages", 1, 100_000),
                        config.integer("kaaj.documents.max.page.chars", 1_000, 10_000_000),
                        config.integer("kaaj.documents.max.page.operations", 10_000, 100_000_000),
                        config.integer("kaaj.documents.max.chars", 10_000, 100_000_000),
                        config.integer("kaaj.documents.max.objects", 1_000, 100_000_000),
                        config.integer("kaaj.ocr.max.megapixels", 1, 1_000)),
                config.integer("kaaj.reader.heap.mb", 64, 65_536),
                LlmSettings.from(config),
                HatchetSettings.from(config, java.time.Clock.systemUTC()));
    }
}
