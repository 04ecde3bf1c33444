package ai.kaaj.ingest;

import ai.kaaj.domain.Json;
import com.fasterxml.jackson.databind.JsonNode;
import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Optional;

/**
 * The file-drop side of ingestion: inbox/lenders and inbox/applications. A lender document may have a sidecar, &lt;file&gt;.json or
 * &lt;name&gt;.json, with {"name": "..."}; without one the lender is named after the file.
 * The sidecar follows its document into .done or .error.
 */
public final class FileDrop {

    private static final Logger LOG = LoggerFactory.getLogger(FileDrop.class.getPackageName());

    private final LenderIngest lenders;
    private final ApplicationIngest applications;

    public FileDrop(LenderIngest lenders, ApplicationIngest applications) {
        this.lenders = lenders;
        this.applications = applications;
    }

    /** inbox/applications: a .json application or a .pdf credit application form. */
    public void application(byte[] content, String fileName) {
        String checkedName = Uploads.fileName(fileName);
        ApplicationIngest.Accepted accepted = "json".equals(Uploads.extension(checkedName))
                ? applications.json(new String(content, StandardCharsets.UTF_8))
                : applications.pdf(checkedName, content);
        LOG.info("Dropped file {} stored as application {} (run {}{})", fileName, accepted.applicationId(),
                accepted.runId(), accepted.duplicate() ? ", already stored" : "");
    }

    public void lender(byte[] content, String fileName, String folder) {
        Path dir = Path.of(folder);
        Optional<Path> sidecar = sidecar(dir, fileName);
        String name = sidecar.map(FileDrop::nameFrom).orElseGet(() -> nameFromFileName(fileName));
        LenderIngest.Accepted accepted = lenders.upload(name, fileName, content);
        LOG.info("Dropped file {} stored as document {} of lender {} (run {}{})", fileName, accepted.documentId(),
                accepted.lenderId(), accepted.runId(), accepted.duplicate() ? ", already stored" : "");
        sidecar.ifPresent(file -> moveInto(file, dir.resolve(".done")));
    }

    /** "acme_equipment-finance.pdf" is lender "acme equipment finance". */
    static String nameFromFileName(String fileName) {
        int dot = fileName.lastIndexOf('.');
        String base = dot > 0 ? fileName.substring(0, dot) : fileName;
        return base.replace('_', ' ').replace('-', ' ').replaceAll("\\s+", " ").strip();
    }

    static Optional<Path> sidecar(Path dir, String fileName) {
        int dot = fileName.lastIndexOf('.');
        String base = dot > 0 ? fileName.substring(0, dot) : fileName;
        for (String candidate : new String[] {fileName + ".json", base + ".json"}) {
            Path path = dir.resolve(candidate);
            if (Files.isRegularFile(path)) {
                return Optional.of(path);
            }
        }
        return Optional.empty();
    }

    private static String nameFrom(Path sidecar) {
        try {
            JsonNode node = Json.MAPPER.readTree(Files.readString(sidecar, StandardCharsets.UTF_8));
            JsonNode name = node.get("name");
            if (name == null || !name.isTextual()) {
                throw new RejectedInput(400, "sidecar " + sidecar.getFileName() + " has no \"name\" string");
            }
            return name.asText();
        } catch (IOException e) {
            throw new RejectedInput(400, "sidecar " + sidecar.getFileName() + " is not valid JSON: " + e.getMessage());
        }
    }

    /** Writes why a dropped file was refused next to where the file consumer moves it. */
    public void recordError(Exchange exchange) {
        Throwable failure = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        String fileName = exchange.getMessage().getHeader(Exchange.FILE_NAME_ONLY, String.class);
        Path dir = Path.of(exchange.getMessage().getHeader(Exchange.FILE_PARENT, String.class));
        Path errorDir = dir.resolve(".error");
        String reason = failure instanceof RejectedInput ? failure.getMessage()
                : "could not be stored: " + failure;
        try {
            Files.createDirectories(errorDir);
            Files.writeString(errorDir.resolve(fileName + ".error.txt"), fileName + ": " + reason + "\n",
                    StandardCharsets.UTF_8);
            sidecar(dir, fileName).ifPresent(file -> moveInto(file, errorDir));
        } catch (IOException e) {
            LOG.error("Could not write the error note for {}: {}", fileName, e.getMessage());
        }
        LOG.warn("Dropped file {} refused: {}", fileName, reason);
    }

    private static void moveInto(Path file, Path dir) {
        try {
            Files.createDirectories(dir);
            Files.move(file, dir.resolve(file.getFileName()), StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            LOG.warn("Could not move {} into {}: {}", file, dir, e.getMessage());
        }
    }
}
