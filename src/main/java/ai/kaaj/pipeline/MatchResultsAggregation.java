package ai.kaaj.pipeline;

import ai.kaaj.store.MatchStore.MatchRow;
import org.apache.camel.AggregationStrategy;
import org.apache.camel.Exchange;

import java.util.ArrayList;
import java.util.List;

/**
 * Collects one MatchRow per lender from the parallel split. Each item already turned its own failure
 * into an error row (doCatch in the route), so nothing is dropped here. Kept trivial on purpose: the
 * split's aggregation must be fast (CAMEL-24142).
 */
public final class MatchResultsAggregation implements AggregationStrategy {

    /** The rows collected so far; a type of its own so it is never mistaken for another body. */
    public record Collected(List<MatchRow> rows) {
    }

    @Override
    public Exchange aggregate(Exchange collected, Exchange item) {
        MatchRow row = item.getMessage().getBody(MatchRow.class);
        if (collected == null) {
            List<MatchRow> rows = new ArrayList<>();
            rows.add(row);
            item.getMessage().setBody(new Collected(rows));
            return item;
        }
        collected.getMessage().getBody(Collected.class).rows().add(row);
        return collected;
    }
}
