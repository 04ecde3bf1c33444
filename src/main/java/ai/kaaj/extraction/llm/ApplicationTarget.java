package ai.kaaj.extraction.llm;

import ai.kaaj.domain.Json;
import ai.kaaj.domain.LoanApplication;
import ai.kaaj.extraction.ApplicationValidator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;

import java.time.Clock;
import java.time.LocalDate;
import java.util.List;

/** A borrower's loan application, read by the model from a credit application form. */
public final class ApplicationTarget implements LlmTarget<LoanApplication> {

    public static final String PURPOSE = "application";

    private final Clock clock;

    public ApplicationTarget(Clock clock) {
        this.clock = clock;
    }

    @Override
    public String purpose() {
        return PURPOSE;
    }

    @Override
    public LoanApplication read(JsonNode answer, String partText) throws JsonProcessingException {
        return Json.MAPPER.treeToValue(answer, LoanApplication.class);
    }

    @Override
    public String instructions() {
        return """
                You read commercial credit application forms (equipment finance and small-business loans) and return \
                the borrower's application as JSON that fits the given schema. The text may be one part of a \
                longer form: return only what this part states. A field is null when the form does not give it. \
                Never guess.
                - state: the business's two-letter US state code.
                - naics: the NAICS code as digits, when the form gives one.
                - Money in whole US dollars; term and time in business in months; business_start_date as YYYY-MM-DD.
                - equipment_condition: "new" or "used".
                - fico: the guarantor's personal credit score; paynet: the business's PayNet score.
                - bankruptcy_discharged_years_ago: years since a bankruptcy was discharged; null when there was none.
                - down_payment_pct: percent, 10 for 10%.
                Answer with the JSON object only.""";
    }

    @Override
    public List<String> check(LoanApplication answer) {
        return ApplicationValidator.validateFields(ApplicationValidator.normalise(answer), LocalDate.now(clock));
    }

    @Override
    public LoanApplication merge(List<LoanApplication> parts) {
        LoanApplication merged = null;
        for (LoanApplication part : parts) {
            merged = NullFill.fill(merged, part, LoanApplication.class).value();
        }
        return merged;
    }

    @Override
    public NullFill.Filled<LoanApplication> fillFrom(LoanApplication byModel, LoanApplication byRules) {
        return NullFill.fill(byModel, byRules, LoanApplication.class);
    }
}
