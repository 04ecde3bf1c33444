package ai.kaaj.extraction;

import ai.kaaj.domain.LoanApplication;
import org.junit.jupiter.api.Test;

import java.time.LocalDate;

import static org.assertj.core.api.Assertions.assertThat;

/** Credit application forms in the layouts brokers send, read through a real PDF's text. */
class RuleApplicationExtractorTest {

    private final RuleApplicationExtractor extractor = new RuleApplicationExtractor();

    private LoanApplication read(String form) throws Exception {
        return extractor.extract(GuidelinePdfs.text(GuidelinePdfs.textPdf(form)));
    }

    @Test
    void labelColonValueForm() throws Exception {
        LoanApplication app = read("""
                CREDIT APPLICATION
                Business Legal Name: Rivera Excavation LLC
                State: Texas
                Industry: Excavation contractor
                NAICS Code: 238910
                Years in Business: 4
                Annual Revenue: 1,800,000
                Amount Requested: $120,000
                Term Requested: 60 months
                Equipment Description: Used excavator
                Equipment Year: 2021
                Condition: Used
                Guarantor FICO: 702
                PayNet Score: 680
                Bankruptcy: None
                Down Payment: 10%
                """);
        assertThat(app.businessName()).isEqualTo("Rivera Excavation LLC");
        assertThat(app.state()).isEqualTo("TX");
        assertThat(app.naics()).isEqualTo("238910");
        assertThat(app.annualRevenue()).isEqualTo(1_800_000L);
        assertThat(app.amountRequested()).isEqualTo(120_000L);
        assertThat(app.termMonths()).isEqualTo(60);
        assertThat(app.equipmentYear()).isEqualTo(2021);
        assertThat(app.equipmentCondition()).isEqualTo("used");
        assertThat(app.fico()).isEqualTo(702);
        assertThat(app.paynet()).isEqualTo(680);
        assertThat(app.bankruptcyDischargedYearsAgo()).isNull();
        assertThat(app.downPaymentPct()).isEqualTo(10.0);
    }

    @Test
    void tableFormWithStartDateAndBankruptcy() throws Exception {
        LoanApplication app = read("""
                Applicant | Blue Harbor Dental PC
                Business State | NJ
                Business Start Date | 03/15/2019
                Gross Annual Sales | $2.4MM
                Requested Amount | $85K
                Term | 48
                Equipment Type | dental chairs
                Credit Score | 731
                Prior Bankruptcy | discharged 6 years ago
                """);
        assertThat(app.businessName()).isEqualTo("Blue Harbor Dental PC");
        assertThat(app.state()).isEqualTo("NJ");
        assertThat(app.businessStartDate()).isEqualTo(LocalDate.of(2019, 3, 15));
        assertThat(app.annualRevenue()).isEqualTo(2_400_000L);
        assertThat(app.amountRequested()).isEqualTo(85_000L);
        assertThat(app.termMonths()).isEqualTo(48);
        assertThat(app.equipmentType()).isEqualTo("dental chairs");
        assertThat(app.fico()).isEqualTo(731);
        assertThat(app.bankruptcyDischargedYearsAgo()).isEqualTo(6.0);
    }

    @Test
    void fieldsItCannotReadAreLeftOutNotGuessed() throws Exception {
        LoanApplication app = read("""
                Business Name: Quiet Co
                Notes: call the owner after 5 pm about the 2019 truck
                FICO: pending
                """);
        assertThat(app.businessName()).isEqualTo("Quiet Co");
        assertThat(app.fico()).isNull();
        assertThat(app.equipmentYear()).isNull();
        assertThat(app.amountRequested()).isNull();
    }
}
