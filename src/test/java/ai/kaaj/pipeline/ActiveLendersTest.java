package ai.kaaj.pipeline;

import ai.kaaj.domain.CriteriaReading;
import ai.kaaj.domain.LenderCriteria;
import ai.kaaj.pipeline.ActiveLenders.Lender;
import ai.kaaj.store.Database;
import ai.kaaj.store.LenderStore;
import ai.kaaj.store.MatchStore;
import ai.kaaj.store.Sql;
import ai.kaaj.support.TestDatabase;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Matching sees every change to the lenders at once, though it keeps them in memory between applications. */
class ActiveLendersTest {

    private Database database;
    private LenderStore lenderStore;
    private ActiveLenders active;

    @BeforeEach
    void open() throws Exception {
        database = TestDatabase.open();
        Sql sql = new Sql(database.dataSource());
        lenderStore = new LenderStore(sql);
        active = new ActiveLenders(new MatchStore(sql));
    }

    @AfterEach
    void close() {
        database.close();
    }

    private static LenderCriteria excluding(String industry) {
        return new LenderCriteria(List.of(), List.of(industry), null, null);
    }

    @Test
    void changesToLendersShowInTheNextMatching() {
        long alpha = lenderStore.createWithCriteria("Alpha Capital", excluding("cannabis")).orElseThrow();
        long beta = lenderStore.createWithCriteria("Beta Leasing", excluding("gambling")).orElseThrow();
        List<Lender> first = active.current();
        assertThat(first).extracting(Lender::lenderName).containsExactly("Alpha Capital", "Beta Leasing");
        assertThat(active.current()).as("nothing changed: the same lenders, not read again").isSameAs(first);

        lenderStore.setActive(alpha, false);
        assertThat(active.current()).extracting(Lender::lenderId).containsExactly(beta);

        lenderStore.saveCriteria(beta, null, CriteriaReading.manual(excluding("firearms")), "manual");
        Lender corrected = active.current().get(0);
        assertThat(corrected.criteriaVersion()).isEqualTo(2);
        assertThat(corrected.criteria().excludedIndustries()).containsExactly("firearms");

        long gamma = lenderStore.createWithCriteria("Gamma Funding", excluding("adult")).orElseThrow();
        lenderStore.setActive(alpha, true);
        assertThat(active.current()).extracting(Lender::lenderId).containsExactly(alpha, beta, gamma);
    }
}
