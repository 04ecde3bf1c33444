package ai.kaaj.extraction;

import ai.kaaj.documents.Ocr;
import ai.kaaj.documents.PdfText;
import ai.kaaj.documents.PlacedPdf;
import ai.kaaj.domain.CriteriaReading;
import ai.kaaj.support.DefaultSettings;
import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.TextNode;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Precision first: the figures every designed guideline page carries besides its criteria (the lender's founding
 * year, address, suite and zip, phone and fax numbers, dates, rates, fees, marketing counts, page numbers) are
 * read as nothing, while the criteria beside them are read. A page read as an upload reads it.
 */
class NoiseFiguresPrecisionTest {

    private static CriteriaReading upload(byte[] pdf) throws Exception {
        PdfText pdfText = new PdfText(new Ocr(null, "eng"), 300, 20, DefaultSettings.load().documentLimits());
        return CriteriaValidator.review(new RuleCriteriaExtractor().read(GuidelineLine.ofPages(
                pdfText.pages(pdf, "noise.pdf"))));
    }

    @Test
    void aRateSheetsAddressPhoneDatesRatesFeesAndPageNumbersGiveNoCriteria() throws Exception {
        byte[] pdf;
        try (PlacedPdf page = new PlacedPdf()) {
            page.page().producer("Adobe InDesign 18.0 (Macintosh)");
            page.text(54, 60, 18, true, "Harbor Point Leasing");
            page.text(330, 52, 8, "Est. 1987 | 1200 Commerce Drive, Suite 720");
            page.text(330, 63, 8, "Austin, TX 78701 | Call 1-800-555-0199");
            page.text(330, 74, 8, "Fax (512) 555-0142 | Effective 03/15/2024");
            page.text(54, 120, 13, true, "Credit Requirements");
            page.text(54, 142, 10, "Minimum FICO: 680");
            page.text(54, 158, 10, "Time in business: 2 years");
            page.text(54, 174, 10, "Maximum term: 60 months");
            page.text(330, 120, 13, true, "Why Harbor Point");
            page.text(330, 142, 10, "Rates from 6.99% on 36-month terms");
            page.text(330, 158, 10, "$1,500 doc fee on every transaction");
            page.text(330, 174, 10, "Over 700 brokers and 650 employees");
            page.text(330, 190, 10, "Over $2 billion funded since 1987");
            page.text(330, 206, 10, "Decisions in 2 hours, funding in 24");
            page.text(54, 740, 8, "Questions? Desk hours 8:00 to 5:00, ext. 650 | Version 3.2 | Page 1 of 3");
            pdf = page.bytes();
        }

        CriteriaReading read = upload(pdf);

        assertThat(CriteriaReading.values(read.criteria())).as("%s", read).containsExactlyInAnyOrderEntriesOf(Map.of(
                "programs[0].name", TextNode.valueOf("Standard"),
                "programs[0].min_fico", IntNode.valueOf(680),
                "programs[0].min_time_in_business_months", IntNode.valueOf(24),
                "programs[0].max_term_months", IntNode.valueOf(60)));
    }
}
