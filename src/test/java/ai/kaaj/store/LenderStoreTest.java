package ai.kaaj.store;

import ai.kaaj.domain.CriteriaReading;
import ai.kaaj.domain.Evidence;
import ai.kaaj.domain.Json;
import ai.kaaj.domain.LenderCriteria;
import ai.kaaj.domain.Program;
import ai.kaaj.store.LenderStore.LenderRow;
import ai.kaaj.support.TestDatabase;
import com.fasterxml.jackson.core.type.TypeReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** Criteria versions with their evidence and warnings, the review flag, and criteria stored before either existed. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class LenderStoreTest {

    private Database database;
    private Sql sql;
    private LenderStore lenders;

    @BeforeAll
    void open() throws Exception {
        database = TestDatabase.open();
        sql = new Sql(database.dataSource());
        lenders = new LenderStore(sql);
    }

    @AfterAll
    void close() {
        database.close();
    }

    private static final LenderCriteria CRITERIA = new LenderCriteria(List.of(new Program("Standard – Tier B", 670,
            24, null, 10_000L, 150_000L, 60, 650, null, null, null, null, null, null,
            List.of("700 FICO if no PayNet"))), List.of("cannabis"), List.of("CA"), null);

    private long newLender(String name) {
        return sql.inTransaction(c -> lenders.findOrCreate(c, name));
    }

    /** A new processing run of the lender, recorded as its latest, as uploading or reprocessing a document does. */
    private UUID started(long lenderId) {
        UUID run = UUID.randomUUID();
        sql.update("update lenders set last_run_id = ? where id = ?", run, lenderId);
        return run;
    }

    private static Map<String, Evidence> evidence(LenderRow row) {
        return Json.MAPPER.convertValue(Json.read(row.evidence(), Map.class), new TypeReference<>() {
        });
    }

    @Test
    void aReadingsEvidenceAndWarningsComeBackWithItsVersionAndWarningsAskForReview() {
        long id = newLender("Round Trip Leasing");
        Map<String, Evidence> evidence = Map.of(
                "programs[0].min_fico", Evidence.onPage(1, "650+ PayNet, 670+ FICO", "line 14"),
                "programs[0].conditions[0]", Evidence.onPage(1, "700 FICO if no PayNet", "line 16"),
                "excluded_states[0]", new Evidence(Evidence.DOCUMENT, 2, "No CA", "line 3", List.of(72.0, 600.5, 140.0,
                        612.0)));
        List<String> warnings = List.of("programs[0].max_term_months must be between 1 and 600, not 0: dropped");

        int version = lenders.saveCriteria(id, started(id), new CriteriaReading(CRITERIA, evidence, warnings),
                "rules");

        LenderRow row = lenders.find(id).orElseThrow();
        assertThat(version).isEqualTo(1);
        assertThat(Json.read(row.criteria(), LenderCriteria.class)).isEqualTo(CRITERIA);
        assertThat(evidence(row)).isEqualTo(evidence);
        assertThat(Json.read(row.warnings(), List.class)).isEqualTo(warnings);
        assertThat(row.status()).isEqualTo("active");
        assertThat(row.reviewRequired()).isTrue();
        assertThat(lenders.awaitingReview(null)).extracting(LenderRow::id).contains(id);

        lenders.saveCriteria(id, null, CriteriaReading.manual(CRITERIA), "manual");

        LenderRow corrected = lenders.find(id).orElseThrow();
        assertThat(corrected.criteriaVersion()).isEqualTo(2);
        assertThat(corrected.reviewRequired()).as("a correction ends the review").isFalse();
        assertThat(Json.read(corrected.warnings(), List.class)).isEmpty();
        assertThat(evidence(corrected).values()).isNotEmpty().allMatch(Evidence::manual);
        assertThat(sql.queryOne("select evidence::text from lender_criteria where lender_id = ? and version = 1",
                r -> r.getString(1), id).map(json -> Json.read(json, Map.class)))
                .as("the first version keeps its evidence").hasValueSatisfying(map -> assertThat(map).hasSize(3));
    }

    @Test
    void criteriaStoredBeforeConditionsAndEvidenceExistedAreStillRead() {
        long id = newLender("Old Times Credit");
        String oldJson = """
                {"programs": [{"name": "App only", "min_fico": 650, "min_time_in_business_months": 24,
                  "min_amount": 10000, "max_amount": 150000, "max_term_months": 60, "max_equipment_age_years": 10,
                  "startups_allowed": false}],
                 "excluded_industries": ["cannabis", "trucking", "gambling"], "excluded_states": ["CA", "NV"],
                 "allowed_states": null}""";
        sql.inTransaction(c -> {
            Sql.update(c, "insert into lender_criteria (lender_id, version, criteria, source) values (?, 1, ?, 'rules')",
                    id, new Sql.JsonText(oldJson));
            return Sql.update(c, "update lenders set criteria = ?, criteria_version = 1, criteria_source = 'rules', "
                    + "status = 'active' where id = ?", new Sql.JsonText(oldJson), id);
        });

        LenderRow row = lenders.find(id).orElseThrow();
        LenderCriteria criteria = Json.read(row.criteria(), LenderCriteria.class);
        assertThat(criteria.programs().get(0).minFico()).isEqualTo(650);
        assertThat(criteria.programs().get(0).conditions()).isNull();
        assertThat(evidence(row)).isEmpty();
        assertThat(Json.read(row.warnings(), List.class)).isEmpty();
        assertThat(row.reviewRequired()).isFalse();
    }

    @Test
    void lendersAwaitingReviewAreListedOldestFirstUntilApproved() {
        long first = newLender("First Waiting Finance");
        long second = newLender("Second Waiting Finance");
        CriteriaReading withWarning = new CriteriaReading(CRITERIA, Map.of(), List.of("check me"));
        lenders.saveCriteria(first, started(first), withWarning, "rules");
        lenders.saveCriteria(second, started(second), withWarning, "rules");
        sql.update("update lenders set review_requested_at = now() - interval '1 hour' where id = ?", second);

        List<Long> waiting = lenders.awaitingReview("active").stream().map(LenderRow::id)
                .filter(id -> id == first || id == second).toList();
        assertThat(waiting).containsExactly(second, first);

        assertThat(lenders.approve(second)).isTrue();
        assertThat(lenders.find(second).orElseThrow().reviewRequired()).isFalse();
        assertThat(lenders.awaitingReview(null)).extracting(LenderRow::id).contains(first).doesNotContain(second);
        assertThat(lenders.approve(987_654L)).isFalse();

        lenders.saveCriteria(first, started(first), new CriteriaReading(CRITERIA, Map.of(), List.of()), "rules");
        assertThat(lenders.find(first).orElseThrow().reviewRequired()).as("a clean reading needs no review").isFalse();
    }

    @Test
    void aRunOvertakenByANewerOneNeitherReplacesTheLendersCriteriaNorFailsIt() {
        long id = newLender("Overtaken Run Leasing");
        UUID older = started(id);
        UUID newer = started(id);

        int olderVersion = lenders.saveCriteria(id, older, new CriteriaReading(CRITERIA, Map.of(), List.of()), "rules");
        lenders.markFailed(id, older, "extract-text: the older run failed");
        LenderRow row = lenders.find(id).orElseThrow();
        assertThat(row.criteria()).as("kept in the history, not made current").isNull();
        assertThat(row.status()).isNotEqualTo("failed");
        assertThat(row.error()).isNull();

        LenderCriteria corrected = new LenderCriteria(CRITERIA.programs(), List.of("firearms"), null, null);
        int newerVersion = lenders.saveCriteria(id, newer, new CriteriaReading(corrected, Map.of(), List.of()), "rules");
        row = lenders.find(id).orElseThrow();
        assertThat(newerVersion).isEqualTo(olderVersion + 1);
        assertThat(row.criteriaVersion()).isEqualTo(newerVersion);
        assertThat(Json.read(row.criteria(), LenderCriteria.class).excludedIndustries()).containsExactly("firearms");

        lenders.markFailed(id, newer, "update-lender: the newer run failed");
        assertThat(lenders.find(id).orElseThrow().status()).isEqualTo("failed");
    }
}
