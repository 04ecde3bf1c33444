package ai.kaaj.pipeline;

import ai.kaaj.pipeline.LoanMatchingSteps.Evaluated;
import org.apache.camel.AggregationStrategy;
import org.apache.camel.Exchange;

import java.util.ArrayList;
import java.util.List;

/**
 * Collects one result per lender from the parallel split. Each item already turned its own failure
 * into an error result (doCatch in the route), so nothing is dropped here. Kept trivial on purpose: the
 * split's aggregation must be fast (CAMEL-24142).
 */
public final class MatchResultsAggregation implements AggregationStrategy {

    /** The rows collected so far; a type of its own so it is never mistaken for another body. */
    public record Collected(List<Evaluated> results) {
    }

    @Override
    public Exchange aggregate(Exchange collected, Exchange item) {
        Evaluated result = item.getMessage().getBody(Evaluated.class);
        if (collected == null) {
            List<Evaluated> results = new ArrayList<>();
            results.add(result);
            item.getMessage().setBody(new Collected(results));
            return item;
        }
        collected.getMessage().getBody(Collected.class).results().add(result);
        return collected;
    }
}
