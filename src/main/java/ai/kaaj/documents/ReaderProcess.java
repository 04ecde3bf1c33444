package ai.kaaj.documents;

import ai.kaaj.domain.Json;
import ai.kaaj.engine.DaemonThreads;
import com.fasterxml.jackson.core.type.TypeReference;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.stream.Stream;

/**
 * Reads a PDF in a child JVM with its own heap limit, and returns its pages. PdfText bounds what it
 * can count (pages, glyphs, operations, pixels), but not everything PDFBox decodes can be bounded
 * beforehand (a huge image drawn at full size, a stream that inflates without end): in the child, such
 * a document exhausts only the child's heap and fails with its reason, and the worker, the API and the
 * other runs go on. A cancelled or timed-out step kills the child at once, and a child whose parent
 * died ends too (it watches its stdin, which the parent holds open).
 */
public final class ReaderProcess {

    /** What the child reads and how: everything PdfText needs, and the file's name for messages. */
    record Job(String fileName, String tessdata, String language, int ocrDpi, int minTextChars,
               DocumentLimits limits) {
    }

    private static final TypeReference<List<PageText>> PAGES = new TypeReference<>() {
    };
    private static final int READ = 0;
    private static final int REFUSED = 2;
    /** The exit code of -XX:+ExitOnOutOfMemoryError. */
    private static final int OUT_OF_MEMORY = 3;
    private static final int PARENT_GONE = 4;

    private final Path tessdata;
    private final String language;
    private final int ocrDpi;
    private final int minTextChars;
    private final DocumentLimits limits;
    private final int heapMb;

    public ReaderProcess(Path tessdata, String language, int ocrDpi, int minTextChars, DocumentLimits limits,
                         int heapMb) {
        this.tessdata = tessdata;
        this.language = language;
        this.ocrDpi = ocrDpi;
        this.minTextChars = minTextChars;
        this.limits = limits;
        this.heapMb = heapMb;
    }

    /**
     * The document's pages, read in a child JVM. Throws DocumentException when the document is over a
     * limit or cannot be read (retrying will not help), CancellationException when the calling thread is
     * interrupted (the child is killed), and IllegalStateException when the child stopped for another
     * reason (worth a retry).
     */
    public List<PageText> pages(byte[] content, String fileName) {
        Path work = null;
        try {
            work = Files.createTempDirectory("kaaj-read-");
            Files.write(work.resolve("document.pdf"), content);
            Json.MAPPER.writeValue(work.resolve("job.json").toFile(), new Job(fileName,
                    tessdata == null ? null : tessdata.toString(), language, ocrDpi, minTextChars, limits));
            int exit = run(work);
            return switch (exit) {
                case READ -> Json.MAPPER.readValue(work.resolve("pages.json").toFile(), PAGES);
                case REFUSED -> throw new DocumentException(Files.readString(work.resolve("refused.txt")));
                case OUT_OF_MEMORY -> throw new DocumentException(fileName + " needs more than " + heapMb
                        + " MB of memory to read, the document reader's limit (kaaj.reader.heap.mb)");
                default -> throw new IllegalStateException("the document reader stopped unexpectedly (exit code "
                        + exit + ")" + lastLine(work.resolve("reader.log")));
            };
        } catch (IOException e) {
            throw new IllegalStateException("the document reader could not be run: " + e.getMessage(), e);
        } finally {
            deleteQuietly(work);
        }
    }

    private int run(Path work) throws IOException {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx" + heapMb + "m",
                // the small, quick-starting JVM a single short task needs
                "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-Xss512k", "-XX:MaxMetaspaceSize=128m",
                "-XX:ReservedCodeCacheSize=32m", "-XX:+ExitOnOutOfMemoryError", "-Djava.awt.headless=true",
                // PDFBox's scratch files go to the work folder, which is deleted whatever happens
                "-Djava.io.tmpdir=" + work,
                "-cp", System.getProperty("java.class.path"),
                ReaderProcess.class.getName(), work.toString()));
        Process child = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(work.resolve("reader.log").toFile()).start();
        try (OutputStream lifeline = child.getOutputStream()) {
            return child.waitFor();
        } catch (InterruptedException e) {
            child.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new CancellationException("reading was cancelled: the step timed out or its worker is stopping");
        } finally {
            if (child.isAlive()) {
                child.destroyForcibly();
            }
        }
    }

    private static String lastLine(Path log) {
        try {
            List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
            return lines.isEmpty() ? "" : ": " + lines.get(lines.size() - 1);
        } catch (IOException e) {
            return "";
        }
    }

    private static void deleteQuietly(Path dir) {
        if (dir == null) {
            return;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(file -> file.toFile().delete());
        } catch (IOException ignored) {
            // a temp folder left behind; the system cleans its temp directory
        }
    }

    /** The child: reads work/document.pdf as work/job.json says, writes pages.json or refused.txt. */
    public static void main(String[] args) throws Exception {
        Path work = Path.of(args[0]);
        watchParent(System.in);
        Job job = Json.MAPPER.readValue(work.resolve("job.json").toFile(), Job.class);
        PdfText reader = new PdfText(new Ocr(job.tessdata() == null ? null : Path.of(job.tessdata()), job.language()),
                job.ocrDpi(), job.minTextChars(), job.limits());
        List<PageText> pages;
        try {
            pages = reader.pages(work.resolve("document.pdf"), job.fileName());
        } catch (DocumentException e) {
            Files.writeString(work.resolve("refused.txt"), e.getMessage());
            System.exit(REFUSED);
            return;
        }
        Json.MAPPER.writeValue(work.resolve("pages.json").toFile(), pages);
        System.exit(READ);
    }

    /** Ends this process when the parent's end of stdin closes: the parent died or gave up on it. */
    private static void watchParent(InputStream stdin) {
        DaemonThreads.start("kaaj-reader-parent-watch", () -> {
            try {
                while (stdin.read() != -1) {
                    // the parent never writes; read returns only at end of stream
                }
            } catch (IOException ignored) {
                // the same: the parent is gone
            }
            Runtime.getRuntime().halt(PARENT_GONE);
        });
    }
}
