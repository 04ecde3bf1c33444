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

import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

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

    /**
     * Two transactions changing lenders, each holding a lender row the other then wants: counting the changes
     * must not add a lock that closes a cycle between them (PostgreSQL would abort one as a deadlock).
     */
    @Test
    void countingChangesAddsNoLockCycle() throws Exception {
        long alpha = lenderStore.createWithCriteria("Alpha Capital", excluding("cannabis")).orElseThrow();
        long beta = lenderStore.createWithCriteria("Beta Leasing", excluding("gambling")).orElseThrow();
        try (Connection first = database.dataSource().getConnection();
             Connection second = database.dataSource().getConnection()) {
            first.setAutoCommit(false);
            second.setAutoCommit(false);
            // as saving criteria does: the lender's row first, then its new version
            Sql.query(first, "select id from lenders where id = ? for update", row -> null, alpha);
            Sql.update(second, "update lenders set error = 'second' where id = ?", beta);
            CompletableFuture<Integer> secondWaits = CompletableFuture.supplyAsync(() -> {
                try {
                    int updated = Sql.update(second, "update lenders set error = 'second' where id = ?", alpha);
                    second.commit();
                    return updated;
                } catch (SQLException e) {
                    throw new IllegalStateException(e.getMessage(), e);
                }
            });
            Thread.sleep(200); // the second transaction now waits for the first's row
            Sql.update(first, "insert into lender_criteria (lender_id, version, criteria, source) "
                    + "values (?, 9, '{}', 'manual')", alpha);
            first.commit();
            assertThat(secondWaits.get(10, TimeUnit.SECONDS)).isEqualTo(1);
        }
        assertThat(lenderStore.find(alpha).orElseThrow().error()).isEqualTo("second");
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
