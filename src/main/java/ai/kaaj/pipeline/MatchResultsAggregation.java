package ai.kaaj.pipeline;

import ai.kaaj.pipeline.LoanMatchingSteps.Evaluated;
import org.apache.camel.AggregationStrategy;
import org.apache.camel.Exchange;

import java.util.ArrayList;
import java.util.List;

/**
 * Collects the results of every slice of lenders from the parallel split. Each slice already turned its
 * lenders' failures into error results (in the bean, or doCatch in the route), so nothing is dropped here. Kept trivial on purpose: the
 * split's aggregation must be fast (CAMEL-24142).
 */
public final class MatchResultsAggregation implements AggregationStrategy {

    /** The rows collected so far; a type of its own so it is never mistaken for another body. */
    public record Collected(List<Evaluated> results) {
    }

    @Override
    @SuppressWarnings("unchecked")
    public Exchange aggregate(Exchange collected, Exchange item) {
        List<Evaluated> slice = item.getMessage().getBody(List.class);
        if (collected == null) {
            item.getMessage().setBody(new Collected(new ArrayList<>(slice)));
            return item;
        }
        collected.getMessage().getBody(Collected.class).results().addAll(slice);
        return collected;
    }
}
