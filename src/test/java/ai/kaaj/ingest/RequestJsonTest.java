package ai.kaaj.ingest;

import ai.kaaj.domain.LenderCriteria;
import ai.kaaj.domain.LoanApplication;
import org.junit.jupiter.api.Test;

import java.time.LocalDate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Strict reading of client JSON: what is refused, with which status, and that the message names the field. */
class RequestJsonTest {

    private static LoanApplication application(String json) {
        return RequestJson.as("the application", RequestJson.object("the application", json), LoanApplication.class);
    }

    private static void refused(String json, int status, String... words) {
        assertThatThrownBy(() -> application(json)).isInstanceOfSatisfying(RejectedInput.class, e -> {
            assertThat(e.status()).isEqualTo(status);
            assertThat(e.getMessage()).contains(words).doesNotContain("java.", "com.fasterxml", "`");
        });
    }

    @Test
    void aPlainApplicationIsRead() {
        LoanApplication read = application("{\"business_name\": \"Acme\", \"fico\": 700, \"down_payment_pct\": 12.5,"
                + " \"business_start_date\": \"2020-01-31\", \"industry\": \"line one\\nline two\"}");
        assertThat(read.fico()).isEqualTo(700);
        assertThat(read.downPaymentPct()).isEqualTo(12.5);
        assertThat(read.businessStartDate()).isEqualTo(LocalDate.of(2020, 1, 31));
    }

    @Test
    void numbersOnlyAsFiniteJsonNumbers() {
        refused("{\"down_payment_pct\": \"NaN\"}", 400, "down_payment_pct", "finite number");
        refused("{\"down_payment_pct\": \"10\"}", 400, "down_payment_pct", "finite number");
        refused("{\"fico\": \"700\"}", 400, "fico", "whole number");
        refused("{\"fico\": 700.5}", 400, "fico", "whole number");
        refused("{\"annual_revenue\": true}", 400, "annual_revenue", "whole number");
        // a literal NaN is not JSON at all
        refused("{\"down_payment_pct\": NaN}", 400, "not valid JSON", "line 1");
    }

    @Test
    void otherTypesAreNamedInPlainWords() {
        refused("{\"business_start_date\": 20200131}", 400, "business_start_date", "YYYY-MM-DD");
        assertThat(application("{\"naics\": 238910}").naics()).isEqualTo("238910");
        refused("{\"business_start_date\": \"last spring\"}", 400, "business_start_date", "YYYY-MM-DD");
        refused("{\"business_nam\": \"Acme\"}", 400, "unknown field 'business_nam'");
        assertThatThrownBy(() -> RequestJson.as("criteria", RequestJson.object("criteria",
                "{\"programs\": [{\"startups_allowed\": \"yes\"}]}"), LenderCriteria.class))
                .hasMessageContaining("programs[0].startups_allowed must be true or false");
    }

    @Test
    void oneObjectAndNothingAfterIt() {
        refused("{\"business_name\": \"Acme\"} x", 400, "nothing after it");
        refused("{\"business_name\": \"Acme\"} {}", 400, "nothing after it");
        refused("[{\"business_name\": \"Acme\"}]", 400, "must be a JSON object");
        refused("   ", 400, "empty");
    }

    @Test
    void controlCharactersAndSizesAreCapped() {
        refused("{\"state\": \"T\\u0000X\"}", 422, "state", "U+0000");
        refused("{\"naics\": \"\\u001b[31m\"}", 422, "naics", "U+001B");
        refused("{\"business_name\": \"" + "x".repeat(RequestJson.MAX_TEXT_CHARS + 1) + "\"}", 422, "business_name",
                "limit is " + RequestJson.MAX_TEXT_CHARS);
        refused("{\"a\\u0000\": 1}", 400, "field name");
        assertThatThrownBy(() -> RequestJson.object("criteria", "{\"excluded_states\": ["
                + "\"TX\",".repeat(RequestJson.MAX_LIST_ITEMS) + "\"TX\"]}"))
                .hasMessageContaining("excluded_states has " + (RequestJson.MAX_LIST_ITEMS + 1) + " items");
        assertThatThrownBy(() -> RequestJson.object("body", "x".repeat(RequestJson.MAX_BODY_CHARS + 1)))
                .isInstanceOfSatisfying(RejectedInput.class, e -> assertThat(e.status()).isEqualTo(413));
    }
}
