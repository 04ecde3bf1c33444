package ai.kaaj.it;

import ai.kaaj.documents.Ocr;
import org.junit.jupiter.api.Assumptions;

/** Tests that need tesseract run whenever it is installed (CI installs it), and say why they skip otherwise. */
final class Ocrs {

    private Ocrs() {
    }

    static void assumeTesseractInstalled() {
        Ocr ocr = new Ocr(null, "eng");
        Assumptions.assumeTrue(ocr.isAvailable(), () -> "skipped: OCR needs tesseract, which is not installed here ("
                + ocr.unavailableReason().orElse("") + "); " + Ocr.INSTALL_HINT);
    }
}
