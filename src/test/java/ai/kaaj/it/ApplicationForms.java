package ai.kaaj.it;

/** Credit application forms as brokers fill them in, rendered into PDFs by the tests. */
final class ApplicationForms {

    static final String RIVERA_FORM = """
            EQUIPMENT FINANCE CREDIT APPLICATION

            Business Name: Rivera Excavation LLC
            State: TX
            Industry: Excavation contractor
            NAICS: 238910
            Time in Business: 4 years
            Annual Revenue: $1,800,000
            Amount Requested: $120,000
            Term: 60 months
            Equipment Type: Construction
            Equipment Year: 2021
            Equipment Condition: Used
            Guarantor FICO: 702
            PayNet Score: 680
            Down Payment: 10%
            """;

    private ApplicationForms() {
    }
}
