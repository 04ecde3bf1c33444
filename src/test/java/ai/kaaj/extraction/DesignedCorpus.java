package ai.kaaj.extraction;

import ai.kaaj.domain.Json;
import ai.kaaj.domain.LenderCriteria;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * The designed guideline corpus (src/test/resources/extraction/designed/batch-N/NN-name.pdf, with its HTML
 * source and what a careful reader records in NN-name.expected.json). Expected files may give each program
 * free-text {@code conditions}; they are what the schema cannot hold and are not scored, so they are read
 * apart from the criteria.
 */
public final class DesignedCorpus {

    public static final Path ROOT = Path.of("src/test/resources/extraction/designed");

    /** One designed document: its batch folder name ("batch-1") and its name without extension. */
    public record Document(String batch, String name, Path pdf) {

        public Path html() {
            return pdf.resolveSibling(name + ".html");
        }

        public Path expectedJson() {
            return pdf.resolveSibling(name + ".expected.json");
        }

        /** Scanned documents are image-only PDFs, read by OCR. */
        public boolean scanned() {
            return name.endsWith("-scan");
        }
    }

    private DesignedCorpus() {
    }

    /** Every designed document, by batch and name; only the batches named when any are. */
    public static List<Document> documents(List<String> batches) throws IOException {
        List<Document> documents = new ArrayList<>();
        try (Stream<Path> dirs = Files.list(ROOT)) {
            for (Path dir : dirs.filter(Files::isDirectory).sorted().toList()) {
                String batch = dir.getFileName().toString();
                if (!batches.isEmpty() && !batches.contains(batch)) {
                    continue;
                }
                try (Stream<Path> files = Files.list(dir)) {
                    files.filter(p -> p.toString().endsWith(".pdf")).sorted().forEach(pdf -> documents.add(
                            new Document(batch, pdf.getFileName().toString().replaceFirst("\\.pdf$", ""), pdf)));
                }
            }
        }
        return documents;
    }

    /** The expected criteria, without the programs' conditions. */
    public static LenderCriteria expected(Document document) throws IOException {
        JsonNode root = Json.MAPPER.readTree(document.expectedJson().toFile());
        for (JsonNode program : root.path("programs")) {
            ((ObjectNode) program).remove("conditions");
        }
        return Json.MAPPER.treeToValue(root, LenderCriteria.class);
    }

    /** Each expected program's conditions, in program order (an empty list where it has none). */
    public static List<List<String>> conditions(Document document) throws IOException {
        List<List<String>> conditions = new ArrayList<>();
        for (JsonNode program : Json.MAPPER.readTree(document.expectedJson().toFile()).path("programs")) {
            List<String> texts = new ArrayList<>();
            JsonNode list = program.path("conditions");
            if (!list.isMissingNode() && !list.isArray()) {
                throw new IOException(document.name() + ": conditions must be a list of strings");
            }
            for (JsonNode text : list) {
                if (!text.isTextual() || text.asText().isBlank()) {
                    throw new IOException(document.name() + ": conditions must be non-blank strings, not " + text);
                }
                texts.add(text.asText());
            }
            conditions.add(texts);
        }
        return conditions;
    }
}
