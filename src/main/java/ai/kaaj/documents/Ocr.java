package ai.kaaj.documents;

import net.sourceforge.tess4j.ITessAPI;
import net.sourceforge.tess4j.ITessAPI.TessPageIteratorLevel;
import net.sourceforge.tess4j.OSDResult;
import net.sourceforge.tess4j.Tesseract;
import net.sourceforge.tess4j.TesseractException;
import net.sourceforge.tess4j.Word;

import java.awt.Rectangle;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * OCR through tess4j on the system's tesseract. Availability is checked once, so a machine without
 * tesseract still reads text PDFs and says clearly why a scanned one cannot be read.
 */
public final class Ocr {

    public static final String INSTALL_HINT = "install tesseract (Debian/Ubuntu: apt-get install tesseract-ocr "
            + "tesseract-ocr-eng; macOS: brew install tesseract) or set KAAJ_OCR_TESSDATA to its tessdata directory";

    private static final List<Path> SYSTEM_TESSDATA = List.of(
            Path.of("/usr/share/tesseract-ocr/5/tessdata"),
            Path.of("/usr/share/tesseract-ocr/4.00/tessdata"),
            Path.of("/usr/share/tessdata"),
            Path.of("/usr/local/share/tessdata"),
            Path.of("/opt/homebrew/share/tessdata"));

    private final Path tessdata;
    private final String language;
    // Probed on first use: loading tesseract costs a reader process a third of a second, and most PDFs
    // have a text layer on every page.
    private String unavailableReason;
    private boolean probed;
    // A Tesseract instance is not safe for concurrent use: one per thread.
    private final ThreadLocal<Tesseract> engines;

    public Ocr(Path configuredTessdata, String language) {
        this.language = language;
        this.tessdata = configuredTessdata != null ? configuredTessdata : findSystemTessdata(language).orElse(null);
        this.engines = ThreadLocal.withInitial(() -> {
            Tesseract tesseract = new Tesseract();
            tesseract.setDatapath(tessdata.toString());
            tesseract.setLanguage(language);
            // Tesseract's API reads a page as one block of text unless told otherwise (its command line finds
            // the page's blocks first): as one block, a ruled table's cells and rulings run together into noise.
            tesseract.setPageSegMode(ITessAPI.TessPageSegMode.PSM_AUTO);
            return tesseract;
        });
    }

    private static Optional<Path> findSystemTessdata(String language) {
        String firstLanguage = language.split("\\+")[0];
        return SYSTEM_TESSDATA.stream()
                .filter(dir -> Files.isRegularFile(dir.resolve(firstLanguage + ".traineddata")))
                .findFirst();
    }

    private synchronized String problem() {
        if (!probed) {
            unavailableReason = probe();
            probed = true;
        }
        return unavailableReason;
    }

    private String probe() {
        if (tessdata == null) {
            return "tesseract language data for '" + language + "' was not found";
        }
        for (String lang : language.split("\\+")) {
            if (!Files.isRegularFile(tessdata.resolve(lang + ".traineddata"))) {
                return "tesseract language data " + tessdata.resolve(lang + ".traineddata") + " is missing";
            }
        }
        try {
            engines.get().doOCR(new BufferedImage(32, 32, BufferedImage.TYPE_BYTE_GRAY));
            return null;
        } catch (TesseractException | LinkageError e) {
            return "the tesseract library could not be loaded (" + e.getMessage() + ")";
        }
    }

    /** Empty when OCR works here; otherwise why not. */
    public Optional<String> unavailableReason() {
        return Optional.ofNullable(problem());
    }

    public boolean isAvailable() {
        return problem() == null;
    }

    public String recognise(BufferedImage image) {
        if (problem() != null) {
            throw new DocumentException("OCR is unavailable: " + problem() + "; " + INSTALL_HINT);
        }
        try {
            return engines.get().doOCR(image);
        } catch (TesseractException e) {
            throw new IllegalStateException("OCR failed: " + e.getMessage(), e);
        }
    }

    /**
     * The page read into blocks from tesseract's word boxes, laid out as a text page is; coordinates in
     * points, the image being the page rendered at {@code dpi}. The page is straightened first ({@link Deskew}),
     * so the boxes are those of the level page. A page that does not read as upright text (a sheet scanned
     * sideways or upside down) is turned the way tesseract's orientation detection finds it upright and read
     * again; the better reading is kept.
     */
    public PageLayout recogniseLayout(BufferedImage image, int pageNumber, int dpi) {
        if (problem() != null) {
            throw new DocumentException("OCR is unavailable: " + problem() + "; " + INSTALL_HINT);
        }
        Tesseract engine = engines.get();
        // An image handed over in memory has no resolution; tesseract would guess it from the text's size.
        engine.setVariable("user_defined_dpi", Integer.toString(dpi));
        BufferedImage page = Deskew.level(image, dpi, 0);
        Reading reading = read(engine, page);
        if (reading.upright() < UPRIGHT && canDetectOrientation()) {
            int turns = quarterTurnsToUpright(engine, page);
            if (turns != 0) {
                // Let the level page go before the turned one is made: a large page is held twice at most.
                page = null;
                Reading turned = read(engine, Deskew.level(image, dpi, turns));
                if (turned.upright() > reading.upright()) {
                    reading = turned;
                }
            }
        }
        float scale = 72f / dpi;
        List<TextWord> words = new ArrayList<>();
        for (Word word : reading.words()) {
            String text = word.getText().strip();
            Rectangle box = word.getBoundingBox();
            if (!text.isEmpty()) {
                words.add(new TextWord(text, box.x * scale, box.y * scale, (box.x + box.width) * scale,
                        (box.y + box.height) * scale, box.height * scale, false));
            }
        }
        return LayoutBuilder.layout(pageNumber, reading.width() * scale, reading.height() * scale,
                LayoutBuilder.withRowHeights(LayoutBuilder.withBulletMarks(words)));
    }

    /**
     * Below this share of upright, confident text a page is looked at for its orientation: an upright page reads
     * 0.85 to 0.95 even when scanned noisily, one upside down about 0.3, and one sideways, which tesseract reads
     * as vertical lines of text, next to nothing.
     */
    private static final double UPRIGHT = 0.6;

    /** Tesseract's words on a page of the given size (pixels). */
    private record Reading(List<Word> words, int width, int height) {

        /**
         * How much of the page reads as upright text: the words of three or more letters weighted by their
         * letters, each counting its confidence when its box is wider than tall (text running across) and
         * nothing otherwise. A page with next to no text counts as upright: there is nothing to turn for.
         */
        double upright() {
            double sum = 0;
            int letters = 0;
            for (Word word : words) {
                int length = word.getText().strip().length();
                if (length >= 3) {
                    Rectangle box = word.getBoundingBox();
                    letters += length;
                    sum += box.width >= box.height ? length * word.getConfidence() / 100.0 : 0;
                }
            }
            return letters < 20 ? 1 : sum / letters;
        }
    }

    private static Reading read(Tesseract engine, BufferedImage page) {
        return new Reading(engine.getWords(page, TessPageIteratorLevel.RIL_WORD), page.getWidth(), page.getHeight());
    }

    /** Orientation detection needs tesseract's osd data (Debian: tesseract-ocr-osd) beside the language's. */
    private boolean canDetectOrientation() {
        return Files.isRegularFile(tessdata.resolve("osd.traineddata"));
    }

    /**
     * Clockwise quarter turns that bring the page upright: tesseract reports the angle the text is turned by
     * clockwise (0 when it finds none), which is undone by the turns that complete it to a full turn.
     */
    private static int quarterTurnsToUpright(Tesseract engine, BufferedImage page) {
        OSDResult orientation = engine.getOSD(page);
        return Math.floorMod(-orientation.getOrientDeg() / 90, 4);
    }
}
