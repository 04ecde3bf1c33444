package ai.kaaj.store;

import ai.kaaj.domain.LenderCriteria;
import ai.kaaj.store.MatchStore.MatchRow;
import ai.kaaj.support.TestDatabase;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** An application's ranked results as written by calculate-matches and read back by the API. */
class MatchStoreTest {

    private static Database database;
    private static MatchStore matches;
    private static long applicationId;
    private static long first;
    private static long second;

    @BeforeAll
    static void open() throws Exception {
        database = TestDatabase.open();
        Sql sql = new Sql(database.dataSource());
        matches = new MatchStore(sql);
        LenderStore lenders = new LenderStore(sql);
        first = lenders.createWithCriteria("Alpha Capital", new LenderCriteria(List.of(), null, null, null)).orElseThrow();
        second = lenders.createWithCriteria("Beta Leasing", new LenderCriteria(List.of(), null, null, null)).orElseThrow();
        applicationId = sql.inTransaction(c -> new ApplicationStore(sql).create(c, "{}", "json", null));
    }

    @AfterAll
    static void close() {
        database.close();
    }

    @Test
    void resultsComeBackAsWrittenWhateverCharactersTheyHold() {
        String checks = "[{\"criterion\": \"equipment_type\", \"result\": \"fail\", "
                + "\"reason\": \"Equipment \\\"reefer\\\\trailer\\\" is excluded:\\tline 1\\nline 2 – ünïcode\"}]";
        MatchRow eligible = new MatchRow(first, "Alpha Capital", "eligible", "Tier A\t(\"prime\")", 92, 1, checks, 3,
                null, true);
        MatchRow failed = new MatchRow(second, "Beta Leasing", "error", null, null, 2, null, null,
                "evaluation failed: C:\\temp\\x\r\nnext line", false);

        matches.saveRanked(applicationId, List.of(eligible, failed));

        assertThat(matches.results(applicationId, null)).containsExactly(eligible, failed);
        assertThat(matches.results(applicationId, "error")).containsExactly(failed);
    }

    @Test
    void writingAgainReplacesTheEarlierResults() {
        matches.saveRanked(applicationId, List.of(
                new MatchRow(first, "Alpha Capital", "ineligible", null, 10, 2, "[]", 1, null, false),
                new MatchRow(second, "Beta Leasing", "eligible", "Gold", 80, 1, "[]", 1, null, false)));

        MatchRow only = new MatchRow(second, "Beta Leasing", "conditional", "Silver", 70, 1, "[]", 2, null, false);
        matches.saveRanked(applicationId, List.of(only));

        assertThat(matches.results(applicationId, null)).as("a lender no longer among the results is dropped")
                .containsExactly(only);
    }
}
