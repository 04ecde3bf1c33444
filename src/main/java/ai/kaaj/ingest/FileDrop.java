package ai.kaaj.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Optional;

/**
 * The file-drop side of ingestion: inbox/lenders and inbox/applications. A dropped file is looked at
 * before it is read (a link, a FIFO or device, an empty file, an odd name, or a file over the upload
 * limit is refused unread) and then read within the limit. A lender document may have a sidecar,
 * &lt;file&gt;.json or &lt;name&gt;.json, with {"name": "..."}; without one the lender is named after the
 * file. The sidecar follows its document into .done or .error. In inbox/applications every file is an
 * application of its own: a .json there is never anyone's sidecar. Nothing dropped is ever deleted.
 */
public final class FileDrop {

    private static final Logger LOG = LoggerFactory.getLogger(FileDrop.class.getPackageName());
    private static final int MAX_SIDECAR_BYTES = 64 * 1024;
    private static final DateTimeFormatter SUFFIX = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss-SSS");

    private final LenderIngest lenders;
    private final ApplicationIngest applications;
    private final long maxUploadBytes;

    public FileDrop(LenderIngest lenders, ApplicationIngest applications, long maxUploadBytes) {
        this.lenders = lenders;
        this.applications = applications;
        this.maxUploadBytes = maxUploadBytes;
    }

    /** inbox/applications: a .json application or a .pdf credit application form. */
    public void application(String path) {
        Path file = Path.of(path);
        String fileName = file.getFileName().toString();
        byte[] content = read(file);
        ApplicationIngest.Accepted accepted = "json".equals(Uploads.extension(fileName))
                ? applications.json(new String(content, StandardCharsets.UTF_8))
                : applications.pdf(fileName, content);
        LOG.info("Dropped file {} stored as application {} (run {}{})", fileName, accepted.applicationId(),
                accepted.runId(), accepted.duplicate() ? ", already stored" : "");
    }

    /** inbox/lenders: a guideline document (.pdf or .txt), named by its sidecar or its file name. */
    public void lender(String path) {
        Path file = Path.of(path);
        String fileName = file.getFileName().toString();
        byte[] content = read(file);
        Optional<Path> sidecar = sidecar(file);
        String name = sidecar.map(FileDrop::nameFrom).orElseGet(() -> nameFromFileName(fileName));
        LenderIngest.Accepted accepted = lenders.upload(name, fileName, content);
        LOG.info("Dropped file {} stored as document {} of lender {} (run {}{})", fileName, accepted.documentId(),
                accepted.lenderId(), accepted.runId(), accepted.duplicate() ? ", already stored" : "");
        sidecar.ifPresent(found -> moveInto(found, file.getParent().resolve(".done")));
    }

    /**
     * The dropped file's bytes. What it is and how large comes from its attributes, links not followed,
     * so a link to a file elsewhere, a FIFO (whose read would block) or a 300 MB file is refused unread.
     */
    byte[] read(Path file) {
        String fileName = Uploads.fileName(file.getFileName().toString());
        BasicFileAttributes attributes;
        try {
            attributes = Files.readAttributes(file, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        } catch (IOException e) {
            throw new RejectedInput(400, fileName + " cannot be looked at: " + e.getMessage());
        }
        if (attributes.isSymbolicLink()) {
            throw new RejectedInput(400, fileName + " is a symbolic link; links are not followed: drop the file "
                    + "itself");
        }
        if (!attributes.isRegularFile()) {
            throw new RejectedInput(400, fileName + " is not a regular file (a FIFO, socket or device); drop the "
                    + "file itself");
        }
        Uploads.checkSize(fileName, attributes.size(), maxUploadBytes);
        try (InputStream in = Files.newInputStream(file, LinkOption.NOFOLLOW_LINKS)) {
            byte[] content = in.readNBytes((int) maxUploadBytes + 1);
            // it may have grown or been swapped since its attributes were read
            Uploads.checkSize(fileName, content.length, maxUploadBytes);
            return content;
        } catch (IOException e) {
            throw new RejectedInput(400, fileName + " cannot be read: " + e.getMessage());
        }
    }

    /** "acme_equipment-finance.pdf" is lender "acme equipment finance". */
    static String nameFromFileName(String fileName) {
        int dot = fileName.lastIndexOf('.');
        String base = dot > 0 ? fileName.substring(0, dot) : fileName;
        return base.replace('_', ' ').replace('-', ' ').replaceAll("\\s+", " ").strip();
    }

    /** A lender document's sidecar: a regular file (not a link) beside it. */
    static Optional<Path> sidecar(Path document) {
        String fileName = document.getFileName().toString();
        int dot = fileName.lastIndexOf('.');
        String base = dot > 0 ? fileName.substring(0, dot) : fileName;
        for (String candidate : new String[] {fileName + ".json", base + ".json"}) {
            Path path = document.resolveSibling(candidate);
            if (!path.equals(document) && Files.isRegularFile(path, LinkOption.NOFOLLOW_LINKS)) {
                return Optional.of(path);
            }
        }
        return Optional.empty();
    }

    private static String nameFrom(Path sidecar) {
        String what = "sidecar " + sidecar.getFileName();
        try {
            if (Files.size(sidecar) > MAX_SIDECAR_BYTES) {
                throw new RejectedInput(413, what + " is larger than " + MAX_SIDECAR_BYTES / 1024 + " KB");
            }
            JsonNode node = RequestJson.object(what, Files.readString(sidecar, StandardCharsets.UTF_8));
            JsonNode name = node.get("name");
            if (name == null || !name.isTextual()) {
                throw new RejectedInput(400, what + " has no \"name\" string");
            }
            return Uploads.name("\"name\" in " + what, name.asText());
        } catch (IOException e) {
            throw new RejectedInput(400, what + " cannot be read as UTF-8 text");
        }
    }

    /**
     * Writes why a dropped file was refused next to where the file consumer moves it (.error), after
     * moving aside an earlier refused file of the same name, which the move would otherwise replace.
     */
    public void recordError(Exchange exchange) {
        Throwable failure = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        Path file = Path.of(exchange.getMessage().getHeader(Exchange.FILE_PATH, String.class));
        String fileName = file.getFileName().toString();
        Path errorDir = file.resolveSibling(".error");
        String reason = failure instanceof RejectedInput ? failure.getMessage() : "could not be stored: " + failure;
        try {
            Files.createDirectories(errorDir);
            keepEarlier(errorDir.resolve(fileName));
            keepEarlier(errorDir.resolve(fileName + ".error.txt"));
            Files.writeString(errorDir.resolve(fileName + ".error.txt"), printable(fileName) + ": " + reason + "\n",
                    StandardCharsets.UTF_8);
            if (file.getParent().getFileName().toString().equals("lenders")) {
                sidecar(file).ifPresent(found -> moveInto(found, errorDir));
            }
        } catch (IOException e) {
            LOG.error("Could not write the error note for {}: {}", printable(fileName), e.getMessage());
        }
        LOG.warn("Dropped file {} refused: {}", printable(fileName), reason);
    }

    private static void moveInto(Path file, Path dir) {
        try {
            Files.createDirectories(dir);
            Path target = dir.resolve(file.getFileName());
            keepEarlier(target);
            Files.move(file, target);
        } catch (IOException e) {
            LOG.warn("Could not move {} into {}: {}", file, dir, e.getMessage());
        }
    }

    /** An earlier file at the target is renamed with a time suffix instead of being replaced. */
    private static void keepEarlier(Path target) throws IOException {
        if (Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
            Files.move(target, target.resolveSibling(target.getFileName() + "." + LocalDateTime.now().format(SUFFIX)));
        }
    }

    private static String printable(String fileName) {
        return fileName.replaceAll("\\p{Cntrl}", "?");
    }
}
