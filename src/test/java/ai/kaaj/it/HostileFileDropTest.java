package ai.kaaj.it;

import ai.kaaj.extraction.GuidelinePdfs;
import ai.kaaj.support.TestApp;
import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.io.RandomAccessFile;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Files an attacker or a careless user leaves in the inbox: links to files elsewhere, FIFOs, empty
 * files, names with line breaks, a 300 MB file, refused files beside valid ones. Each refused file
 * lands in .error with its reason beside it, nothing is deleted or read that should not be, and the
 * inbox keeps working.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class HostileFileDropTest {

    private TestApp app;
    private Path lenders;
    private Path applications;

    @BeforeAll
    void start() throws Exception {
        app = TestApp.start(Map.of());
        lenders = Files.createDirectories(app.inbox().resolve("lenders"));
        applications = Files.createDirectories(app.inbox().resolve("applications"));
    }

    @AfterAll
    void stop() throws Exception {
        app.close();
    }

    @Test
    void aSymlinkToAFileElsewhereIsRefusedUnfollowed() throws Exception {
        Path secret = Files.createTempFile("kaaj-secret", ".pdf");
        Files.write(secret, GuidelinePdfs.textPdf("Minimum FICO: 640"));
        Files.setPosixFilePermissions(secret, PosixFilePermissions.fromString("rw-------"));
        Files.createSymbolicLink(lenders.resolve("linked-capital.pdf"), secret);

        String reason = awaitRefused(lenders, "linked-capital.pdf");
        assertThat(reason).contains("symbolic link");
        assertThat(lenders.resolve(".error/linked-capital.pdf")).isSymbolicLink();
        assertThat(secret).exists();
        assertThat(lenderNames()).doesNotContain("linked capital");
    }

    @Test
    void aFifoIsRefusedWithoutBlockingTheInbox() throws Exception {
        Path fifo = lenders.resolve("pipe-capital.pdf");
        assertThat(new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor()).isZero();

        assertThat(awaitRefused(lenders, "pipe-capital.pdf")).contains("not a regular file");
        assertThat(Files.readAttributes(lenders.resolve(".error/pipe-capital.pdf"),
                java.nio.file.attribute.BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS).isOther()).isTrue();
        dropAndAwaitStored("after-pipe-capital.pdf", "after pipe capital");
    }

    @Test
    void anEmptyFileIsRefused() throws Exception {
        Files.createFile(lenders.resolve("empty-capital.pdf"));
        assertThat(awaitRefused(lenders, "empty-capital.pdf")).contains("empty");
    }

    @Test
    void aNameWithALineBreakIsRefusedNotIgnored() throws Exception {
        Files.write(lenders.resolve("line\nbreak.pdf"), GuidelinePdfs.textPdf("Minimum FICO: 600"));
        Files.write(lenders.resolve("carriage\rreturn.pdf"), GuidelinePdfs.textPdf("Minimum FICO: 610"));
        assertThat(awaitRefused(lenders, "line\nbreak.pdf")).contains("control characters");
        assertThat(awaitRefused(lenders, "carriage\rreturn.pdf")).contains("control characters");
    }

    @Test
    void a300MegabyteFileIsRefusedUnread() throws Exception {
        MemoryPoolMXBean oldGen = ManagementFactory.getMemoryPoolMXBeans().stream()
                .filter(pool -> pool.getType() == MemoryType.HEAP
                        && (pool.getName().contains("Old") || pool.getName().contains("Tenured")))
                .findFirst().orElseThrow();
        oldGen.resetPeakUsage();
        long oldGenBefore = oldGen.getUsage().getUsed();
        Path huge = lenders.resolve(".writing-huge");
        try (RandomAccessFile file = new RandomAccessFile(huge.toFile(), "rw")) {
            file.setLength(300L * 1024 * 1024); // sparse: no disk used, 300 MB to anyone who reads it
        }
        Files.move(huge, lenders.resolve("huge-capital.pdf"));

        assertThat(awaitRefused(lenders, "huge-capital.pdf")).contains("300.0 MB", "the limit is 25.0 MB");
        // a 300 MB byte[] is allocated straight into the old generation: its peak shows whether it was read
        assertThat(oldGen.getPeakUsage().getUsed() - oldGenBefore).isLessThan(200L * 1024 * 1024);
        assertThat(app.get("/api/health").status()).isEqualTo(200);
    }

    @Test
    void aRefusedJsonApplicationIsMovedNotDeleted() throws Exception {
        Files.writeString(applications.resolve("bad-application.json"), "{\"business_name\": \"Acme\", \"fico\": \"high\"}");
        String reason = awaitRefused(applications, "bad-application.json");
        assertThat(reason).contains("fico");
        assertThat(Files.readString(applications.resolve(".error/bad-application.json"))).contains("\"high\"");
    }

    @Test
    void aRefusedPdfDoesNotDragTheApplicationOfTheSameNameAlong() throws Exception {
        Files.writeString(applications.resolve(".p2.json.tmp"), "{\"business_name\": \"P2 Trucking\", \"fico\": 700}");
        Files.write(applications.resolve("p2.pdf"), "not a pdf at all".getBytes());
        Files.move(applications.resolve(".p2.json.tmp"), applications.resolve("p2.json"));

        assertThat(awaitRefused(applications, "p2.pdf")).contains("not a PDF");
        awaitExists(applications.resolve(".done/p2.json"));
        assertThat(applications.resolve(".error/p2.json")).doesNotExist();
        app.await("/api/applications", json -> json.path("applications").size() > 0, Duration.ofSeconds(30));
    }

    @Test
    void anEarlierRefusedFileOfTheSameNameIsKept() throws Exception {
        Files.write(lenders.resolve("twice-bad.pdf"), "first bad drop".getBytes());
        awaitRefused(lenders, "twice-bad.pdf");
        Files.write(lenders.resolve("twice-bad.pdf"), "second bad drop".getBytes());
        awaitGone(lenders.resolve("twice-bad.pdf"));
        awaitExists(lenders.resolve(".error/twice-bad.pdf"));
        try (Stream<Path> errors = Files.list(lenders.resolve(".error"))) {
            List<String> contents = errors.filter(p -> p.getFileName().toString().startsWith("twice-bad.pdf")
                    && !p.getFileName().toString().contains(".error.txt")).map(p -> {
                        try {
                            return Files.readString(p);
                        } catch (Exception e) {
                            throw new IllegalStateException(e);
                        }
                    }).toList();
            assertThat(contents).containsExactlyInAnyOrder("first bad drop", "second bad drop");
        }
    }

    // ---- helpers ------------------------------------------------------------------------------------

    /** Waits for the file to be moved to .error with its note, and returns the note. */
    private static String awaitRefused(Path dir, String fileName) throws Exception {
        Path note = dir.resolve(".error").resolve(fileName + ".error.txt");
        awaitExists(note);
        // the note is written while the exchange fails; the consumer moves the file just after
        awaitGone(dir.resolve(fileName));
        assertThat(Files.exists(dir.resolve(".error").resolve(fileName), LinkOption.NOFOLLOW_LINKS)).isTrue();
        return Files.readString(note);
    }

    private void dropAndAwaitStored(String fileName, String lenderName) throws Exception {
        Path temp = lenders.resolve(".writing-" + fileName);
        Files.write(temp, GuidelinePdfs.textPdf("Minimum FICO: 660"));
        Files.move(temp, lenders.resolve(fileName));
        app.await("/api/lenders", json -> json.path("lenders").findValuesAsText("name").contains(lenderName),
                Duration.ofSeconds(30));
    }

    private List<String> lenderNames() throws Exception {
        JsonNode json = app.get("/api/lenders").json();
        return json.path("lenders").findValuesAsText("name");
    }

    private static void awaitExists(Path file) {
        await("expected " + file).atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(50))
                .until(() -> Files.exists(file, LinkOption.NOFOLLOW_LINKS));
    }

    private static void awaitGone(Path file) {
        await("expected " + file + " gone").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(50))
                .until(() -> !Files.exists(file, LinkOption.NOFOLLOW_LINKS));
    }
}
