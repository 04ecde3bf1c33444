package ai.kaaj.pipeline;

import ai.kaaj.domain.Evidence;
import ai.kaaj.domain.Json;
import ai.kaaj.domain.LenderCriteria;
import ai.kaaj.store.MatchStore;
import ai.kaaj.store.MatchStore.ActiveLender;
import ai.kaaj.store.MatchStore.StoredCriteria;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The active lenders with their criteria parsed. Parsing every lender's criteria and evidence again for every
 * application cost more than evaluating them: a lender's parsed criteria are kept until its stamp (the xmin of
 * its row and of its criteria version's row) moves, so only lenders changed since the last matching are read
 * and parsed again. Reading every active lender's stamp cost more than evaluating them too: the whole list is
 * kept until the database's count of lender changes moves.
 */
public final class ActiveLenders {

    private static final TypeReference<Map<String, Evidence>> EVIDENCE = new TypeReference<>() {
    };

    /**
     * A lender to evaluate; criteria null when it has none; unreadable says why stored criteria could not be
     * read (then evaluating this lender fails, as that lender's error).
     */
    public record Lender(long lenderId, String lenderName, int criteriaVersion, boolean reviewRequired,
                         LenderCriteria criteria, Map<String, Evidence> evidence, String unreadable) {
    }

    private record Parsed(String stamp, LenderCriteria criteria, Map<String, Evidence> evidence, String unreadable) {
    }

    /** The list as read when the count of lender changes was {@code changes}. */
    private record Known(long changes, List<Lender> lenders) {
    }

    private final MatchStore store;
    private final Map<Long, Parsed> parsed = new ConcurrentHashMap<>();
    private volatile Known known = new Known(-1, List.of());

    public ActiveLenders(MatchStore store) {
        this.store = store;
    }

    /** The lenders active now, by id. */
    public List<Lender> current() {
        // read before the lenders: a change made in between is read now and read again next time
        long changes = store.lenderChanges();
        Known last = known;
        if (last.changes() == changes) {
            return last.lenders();
        }
        List<Lender> lenders = read();
        known = new Known(changes, lenders);
        return lenders;
    }

    private synchronized List<Lender> read() {
        List<ActiveLender> active = store.activeLenders();
        List<Long> stale = new ArrayList<>();
        Map<Long, String> stamps = new HashMap<>();
        for (ActiveLender lender : active) {
            stamps.put(lender.lenderId(), lender.stamp());
            Parsed known = parsed.get(lender.lenderId());
            if (known == null || !known.stamp().equals(lender.stamp())) {
                stale.add(lender.lenderId());
            }
        }
        if (!stale.isEmpty()) {
            // a lender changed between the two reads is kept under the older stamp, and read again next time
            store.criteria(stale).forEach(stored -> parsed.put(stored.lenderId(),
                    parse(stamps.get(stored.lenderId()), stored)));
        }
        parsed.keySet().retainAll(stamps.keySet());
        List<Lender> lenders = new ArrayList<>(active.size());
        for (ActiveLender lender : active) {
            Parsed criteria = parsed.get(lender.lenderId());
            lenders.add(new Lender(lender.lenderId(), lender.lenderName(), lender.criteriaVersion(),
                    lender.reviewRequired(), criteria == null ? null : criteria.criteria(),
                    criteria == null ? Map.of() : criteria.evidence(), criteria == null ? null : criteria.unreadable()));
        }
        return List.copyOf(lenders);
    }

    private static Parsed parse(String stamp, StoredCriteria stored) {
        try {
            LenderCriteria criteria = stored.criteria() == null ? null
                    : Json.MAPPER.readValue(stored.criteria(), LenderCriteria.class);
            Map<String, Evidence> evidence = stored.evidence() == null ? Map.of()
                    : Json.MAPPER.readValue(stored.evidence(), EVIDENCE);
            return new Parsed(stamp, criteria, evidence, null);
        } catch (JsonProcessingException e) {
            return new Parsed(stamp, null, Map.of(), "stored criteria are not readable: " + e.getOriginalMessage());
        }
    }
}
