package ai.kaaj.matching;

import ai.kaaj.domain.CriterionCheck;
import ai.kaaj.domain.CriterionCheck.Outcome;
import ai.kaaj.domain.Evidence;
import ai.kaaj.domain.LenderCriteria;
import ai.kaaj.domain.LoanApplication;
import ai.kaaj.domain.MatchResult;
import ai.kaaj.domain.MatchResult.Status;
import ai.kaaj.domain.Program;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static ai.kaaj.matching.Build.application;
import static ai.kaaj.matching.Build.lender;
import static ai.kaaj.matching.Build.program;
import static ai.kaaj.matching.MatchingCasesTest.TODAY;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class MatchingEngineTest {

    private final MatchingEngine engine = new MatchingEngine();

    private MatchResult evaluate(Build.Application app, Build.ProgramBuilder program) {
        return engine.evaluate(app.build(), 1, "Lender", lender(program.build()), TODAY);
    }

    private MatchResult evaluate(Build.Application app, LenderCriteria criteria) {
        return engine.evaluate(app.build(), 1, "Lender", criteria, TODAY);
    }

    /** The one check of the criterion in a single-program evaluation. */
    private CriterionCheck check(Build.Application app, Build.ProgramBuilder program, String criterion) {
        MatchResult result = evaluate(app, program);
        List<CriterionCheck> found = result.criteria().stream().filter(c -> c.criterion().equals(criterion)).toList();
        assertThat(found).as("%s in %s", criterion, result.criteria()).hasSize(1);
        return found.get(0);
    }

    private static CriterionCheck pass(String criterion, String reason) {
        return new CriterionCheck(criterion, Outcome.pass, reason);
    }

    private static CriterionCheck fail(String criterion, String reason) {
        return new CriterionCheck(criterion, Outcome.fail, reason);
    }

    private static CriterionCheck unknown(String criterion, String reason) {
        return new CriterionCheck(criterion, Outcome.unknown, reason);
    }

    @Nested
    class Fico {
        final Build.ProgramBuilder p = program("P").minFico(650);

        @Test
        void passFailUnknown() {
            assertThat(check(application().fico(702), p, "min_fico"))
                    .isEqualTo(pass("min_fico", "FICO 702 meets the minimum of 650"));
            assertThat(check(application().fico(650), p, "min_fico"))
                    .isEqualTo(pass("min_fico", "FICO 650 meets the minimum of 650"));
            assertThat(check(application().fico(649), p, "min_fico"))
                    .isEqualTo(fail("min_fico", "FICO 649 is below the minimum of 650"));
            assertThat(check(application(), p, "min_fico"))
                    .isEqualTo(unknown("min_fico", "FICO is not provided; the program requires at least 650"));
        }

        @Test
        void moreHeadroomNeverScoresLower() {
            int previous = 0;
            for (int fico = 650; fico <= 720; fico += 5) {
                int score = evaluate(application().fico(fico), p).score();
                assertThat(score).as("FICO %d", fico).isGreaterThanOrEqualTo(previous);
                previous = score;
            }
            assertThat(evaluate(application().fico(690), p).score()).isEqualTo(100);
            assertThat(evaluate(application().fico(650), p).score()).isEqualTo(85);
        }
    }

    @Test
    void paynet() {
        Build.ProgramBuilder p = program("P").minPaynet(660);
        assertThat(check(application().paynet(700), p, "min_paynet"))
                .isEqualTo(pass("min_paynet", "PayNet score 700 meets the minimum of 660"));
        assertThat(check(application().paynet(659), p, "min_paynet"))
                .isEqualTo(fail("min_paynet", "PayNet score 659 is below the minimum of 660"));
        assertThat(check(application(), p, "min_paynet")).isEqualTo(unknown("min_paynet",
                "PayNet score is not provided; the program requires at least 660"));
    }

    @Nested
    class TimeInBusiness {
        final Build.ProgramBuilder p = program("P").minMonths(24);

        @Test
        void fromMonths() {
            assertThat(check(application().months(30), p, "min_time_in_business_months")).isEqualTo(pass(
                    "min_time_in_business_months", "Time in business 30 months meets the minimum of 24"));
            assertThat(check(application().months(1), p, "min_time_in_business_months")).isEqualTo(fail(
                    "min_time_in_business_months", "Time in business 1 month is below the minimum of 24"));
            assertThat(check(application(), p, "min_time_in_business_months")).isEqualTo(unknown(
                    "min_time_in_business_months",
                    "Time in business is not provided; the program requires at least 24 months"));
        }

        @Test
        void fromStartDateInWholeMonthsUpToToday() {
            assertThat(ApplicationFacts.monthsInBusiness(application().started(LocalDate.of(2024, 6, 1)).build(),
                    TODAY)).isEqualTo(24);
            assertThat(ApplicationFacts.monthsInBusiness(application().started(LocalDate.of(2024, 6, 2)).build(),
                    TODAY)).isEqualTo(23);
            assertThat(ApplicationFacts.monthsInBusiness(application().started(TODAY).build(), TODAY)).isZero();
            assertThat(ApplicationFacts.monthsInBusiness(application().started(TODAY.plusDays(1)).build(), TODAY))
                    .isZero();
            assertThat(ApplicationFacts.monthsInBusiness(application().build(), TODAY)).isNull();
            assertThat(check(application().started(LocalDate.of(2024, 6, 1)), p, "min_time_in_business_months"))
                    .isEqualTo(pass("min_time_in_business_months", "Time in business 24 months meets the minimum of 24"));
        }

        @Test
        void theSameApplicationIsOlderOnALaterDay() {
            LoanApplication app = application().started(LocalDate.of(2025, 1, 1)).build();
            LenderCriteria criteria = lender(p.build());
            assertThat(engine.evaluate(app, 1, "L", criteria, TODAY).status()).isEqualTo(Status.ineligible);
            assertThat(engine.evaluate(app, 1, "L", criteria, LocalDate.of(2027, 1, 1)).status())
                    .isEqualTo(Status.eligible);
            assertThat(engine.evaluate(app, 1, "L", criteria, TODAY).status()).isEqualTo(Status.ineligible);
        }
    }

    @Test
    void annualRevenue() {
        Build.ProgramBuilder p = program("P").minRevenue(1_000_000L);
        assertThat(check(application().revenue(1_000_000L), p, "min_annual_revenue")).isEqualTo(pass(
                "min_annual_revenue", "Annual revenue $1,000,000 meets the minimum of $1,000,000"));
        assertThat(check(application().revenue(999_999L), p, "min_annual_revenue")).isEqualTo(fail(
                "min_annual_revenue", "Annual revenue $999,999 is below the minimum of $1,000,000"));
        assertThat(check(application(), p, "min_annual_revenue")).isEqualTo(unknown("min_annual_revenue",
                "Annual revenue is not provided; the program requires at least $1,000,000"));
        assertThat(check(application(), program("P").minRevenue(0L), "min_annual_revenue").result())
                .isEqualTo(Outcome.pass);
    }

    @Nested
    class Amount {
        final Build.ProgramBuilder p = program("P").amounts(10_000L, 250_000L);

        @Test
        void bothBoundsAreInclusive() {
            assertThat(check(application().amount(10_000L), p, "amount").result()).isEqualTo(Outcome.pass);
            assertThat(check(application().amount(250_000L), p, "amount")).isEqualTo(pass("amount",
                    "Amount requested $250,000 is within $10,000 to $250,000"));
            assertThat(check(application().amount(9_999L), p, "amount")).isEqualTo(fail("amount",
                    "Amount requested $9,999 is below the minimum of $10,000"));
            assertThat(check(application().amount(250_001L), p, "amount")).isEqualTo(fail("amount",
                    "Amount requested $250,001 is above the maximum of $250,000"));
        }

        @Test
        void unknownNamesTheRange() {
            assertThat(check(application(), p, "amount")).isEqualTo(unknown("amount",
                    "Amount requested is not provided; the program lends $10,000 to $250,000"));
            assertThat(check(application(), program("P").amounts(150_001L, null), "amount")).isEqualTo(unknown(
                    "amount", "Amount requested is not provided; the program lends from $150,001"));
        }

        @Test
        void aDealWellInsideTheRangeScoresHigherThanOneAtTheTop() {
            int atTop = evaluate(application().amount(250_000L), p).score();
            int nearTop = evaluate(application().amount(200_000L), p).score();
            int inside = evaluate(application().amount(100_000L), p).score();
            assertThat(atTop).isLessThan(nearTop);
            assertThat(nearTop).isLessThan(inside);
            assertThat(inside).isEqualTo(100);
        }
    }

    @Test
    void term() {
        Build.ProgramBuilder p = program("P").maxTerm(60);
        assertThat(check(application().term(36), p, "max_term_months"))
                .isEqualTo(pass("max_term_months", "Term 36 months is within the maximum of 60"));
        assertThat(check(application().term(61), p, "max_term_months"))
                .isEqualTo(fail("max_term_months", "Term 61 months is above the maximum of 60"));
        assertThat(check(application(), p, "max_term_months"))
                .isEqualTo(unknown("max_term_months", "Term is not provided; the program allows up to 60 months"));
    }

    @Nested
    class EquipmentAge {
        final Build.ProgramBuilder p = program("P").maxAge(10);

        @Test
        void ageIsTodaysYearMinusTheModelYear() {
            assertThat(check(application().equipmentYear(2016), p, "max_equipment_age_years")).isEqualTo(pass(
                    "max_equipment_age_years", "Equipment age 10 years (2016) is within the maximum of 10"));
            assertThat(check(application().equipmentYear(2025), p, "max_equipment_age_years")).isEqualTo(pass(
                    "max_equipment_age_years", "Equipment age 1 year (2025) is within the maximum of 10"));
            assertThat(check(application().equipmentYear(2015), p, "max_equipment_age_years")).isEqualTo(fail(
                    "max_equipment_age_years", "Equipment age 11 years (2015) is above the maximum of 10"));
        }

        @Test
        void currentAndNextModelYearsAreNew() {
            assertThat(check(application().equipmentYear(2026), program("P").maxAge(0), "max_equipment_age_years")
                    .result()).isEqualTo(Outcome.pass);
            assertThat(check(application().equipmentYear(2027), program("P").maxAge(0), "max_equipment_age_years")
                    .reason()).isEqualTo("Equipment age 0 years (2027) is within the maximum of 0");
        }

        @Test
        void withoutAYearNewEquipmentPassesAndOtherwiseItIsUnknown() {
            assertThat(check(application().condition("new"), p, "max_equipment_age_years").result())
                    .isEqualTo(Outcome.pass);
            assertThat(check(application().condition("used"), p, "max_equipment_age_years")).isEqualTo(unknown(
                    "max_equipment_age_years",
                    "Equipment year is not provided; the program takes equipment up to 10 years old"));
            assertThat(check(application(), p, "max_equipment_age_years").result()).isEqualTo(Outcome.unknown);
        }

        @Test
        void notCheckedWhenTheProgramSetsNoLimit() {
            assertThat(evaluate(application().equipmentYear(1980), program("P")).criteria()).isEmpty();
        }
    }

    @Nested
    class EquipmentType {
        @Test
        void excludedKinds() {
            Build.ProgramBuilder p = program("P").excludedTypes("trucks", "aircraft");
            assertThat(check(application().equipmentType("Dump Trucks"), p, "equipment_type"))
                    .isEqualTo(fail("equipment_type", "Equipment type Dump Trucks is excluded (trucks)"));
            assertThat(check(application().equipmentType("trucks"), p, "equipment_type"))
                    .isEqualTo(fail("equipment_type", "Equipment type trucks is excluded"));
            assertThat(check(application().equipmentType("semi-trucks"), p, "equipment_type").result())
                    .isEqualTo(Outcome.fail);
            assertThat(check(application().equipmentType("medical"), p, "equipment_type"))
                    .isEqualTo(pass("equipment_type", "Equipment type medical is not excluded"));
        }

        @Test
        void allowedKinds() {
            Build.ProgramBuilder p = program("P").allowedTypes("construction", "agriculture");
            assertThat(check(application().equipmentType("Agriculture equipment"), p, "equipment_type")).isEqualTo(
                    pass("equipment_type", "Equipment type Agriculture equipment is accepted (agriculture)"));
            assertThat(check(application().equipmentType("technology"), p, "equipment_type")).isEqualTo(fail(
                    "equipment_type", "Equipment type technology is not among those accepted: construction, agriculture"));
        }

        @Test
        void anExcludedKindInsideAnAllowedOneFails() {
            Build.ProgramBuilder p = program("P").allowedTypes("construction").excludedTypes("cranes");
            assertThat(check(application().equipmentType("construction cranes"), p, "equipment_type").result())
                    .isEqualTo(Outcome.fail);
            assertThat(check(application(), p, "equipment_type")).isEqualTo(unknown("equipment_type",
                    "Equipment type is not provided; the program takes construction and excludes cranes"));
        }

        @Test
        void emptyListsAndBlankEntriesRestrictNothing() {
            assertThat(evaluate(application().equipmentType("trucks"), program("P").excludedTypes()).criteria())
                    .isEmpty();
            assertThat(evaluate(application().equipmentType("trucks"), program("P").excludedTypes(" ", "")).criteria())
                    .isEmpty();
        }
    }

    @Test
    void startups() {
        Build.ProgramBuilder refuses = program("P").startups(false);
        assertThat(check(application().months(23), refuses, "startups_allowed")).isEqualTo(fail("startups_allowed",
                "Business is a startup (23 months in business); the program takes no startups"));
        assertThat(check(application().months(24), refuses, "startups_allowed")).isEqualTo(pass("startups_allowed",
                "Business is established (24 months in business); the program takes no startups"));
        assertThat(check(application(), refuses, "startups_allowed").result()).isEqualTo(Outcome.unknown);
        assertThat(evaluate(application().months(2), program("P").startups(true)).criteria()).isEmpty();
        assertThat(evaluate(application().months(2), program("P").startups(null)).criteria()).isEmpty();
    }

    @Test
    void bankruptcyLookBack() {
        Build.ProgramBuilder p = program("P").lookback(7);
        assertThat(check(application(), p, "bankruptcy_lookback_years")).isEqualTo(pass("bankruptcy_lookback_years",
                "No bankruptcy reported; the program looks back 7 years"));
        assertThat(check(application().bankruptcy(6.99), p, "bankruptcy_lookback_years")).isEqualTo(fail(
                "bankruptcy_lookback_years", "Bankruptcy discharged 6.99 years ago is within the 7-year look-back"));
        assertThat(check(application().bankruptcy(7.0), p, "bankruptcy_lookback_years").result())
                .isEqualTo(Outcome.pass);
        assertThat(check(application().bankruptcy(12.0), p, "bankruptcy_lookback_years")).isEqualTo(pass(
                "bankruptcy_lookback_years", "Bankruptcy discharged 12 years ago is outside the 7-year look-back"));
        assertThat(evaluate(application().bankruptcy(7.0), p).score())
                .isLessThan(evaluate(application().bankruptcy(14.0), p).score());
    }

    @Test
    void downPayment() {
        Build.ProgramBuilder p = program("P").minDown(10.0);
        assertThat(check(application().downPayment(10.0), p, "min_down_payment_pct")).isEqualTo(pass(
                "min_down_payment_pct", "Down payment 10% meets the minimum of 10%"));
        assertThat(check(application().downPayment(9.5), p, "min_down_payment_pct")).isEqualTo(fail(
                "min_down_payment_pct", "Down payment 9.5% is below the minimum of 10%"));
        assertThat(check(application(), p, "min_down_payment_pct")).isEqualTo(unknown("min_down_payment_pct",
                "Down payment is not provided; the program requires at least 10%"));
        assertThat(check(application(), program("P").minDown(0.0), "min_down_payment_pct").result())
                .isEqualTo(Outcome.pass);
    }

    @Nested
    class LenderWide {
        final LenderCriteria twoPrograms = new LenderCriteria(List.of(program("A").minFico(700).build(),
                program("B").minFico(600).build()), List.of("cannabis", "7132"), List.of("CA"), null);

        @Test
        void industryAndStateChecksAreCarriedByEveryProgram() {
            MatchResult result = evaluate(application().fico(650).industry("cannabis grower").state("TX"),
                    twoPrograms);
            assertThat(result.status()).isEqualTo(Status.ineligible);
            assertThat(result.program()).isEqualTo("B");
            assertThat(result.criteria()).containsExactly(
                    pass("min_fico", "FICO 650 meets the minimum of 600"),
                    fail("excluded_industries", "Cannabis grower is an excluded industry (cannabis)"),
                    pass("state", "TX is not an excluded state"));
        }

        @Test
        void aNaicsCodeIsComparedByPrefix() {
            assertThat(evaluate(application().fico(700).naics("7132-10"), twoPrograms).criteria()).contains(
                    fail("excluded_industries", "NAICS 713210 falls under excluded NAICS 7132"));
            assertThat(evaluate(application().fico(700).naics("238910"), twoPrograms).criteria()).contains(
                    pass("excluded_industries", "NAICS 238910 is not an excluded industry"));
            assertThat(evaluate(application().naics("71321"), new LenderCriteria(List.of(program("P").build()),
                    List.of("713210"), null, null)).status()).as("a shorter code is not under a longer one")
                    .isEqualTo(Status.eligible);
        }

        @Test
        void states() {
            LenderCriteria both = new LenderCriteria(List.of(program("P").build()), null, List.of("CA"),
                    List.of("CA", "NV", "AZ"));
            assertThat(evaluate(application().state("CA"), both).criteria())
                    .containsExactly(fail("state", "CA is an excluded state"));
            assertThat(evaluate(application().state("TX"), both).criteria())
                    .containsExactly(fail("state", "TX is not among the states served: CA, NV, AZ"));
            assertThat(evaluate(application().state("az"), both).criteria())
                    .containsExactly(pass("state", "AZ is among the states served"));
            assertThat(evaluate(application(), both).criteria()).containsExactly(unknown("state",
                    "State is not provided; the lender serves only CA, NV, AZ and excludes CA"));
            assertThat(evaluate(application().state("Narnia"), both).criteria()).containsExactly(unknown("state",
                    "State Narnia is not a US state; the lender serves only CA, NV, AZ and excludes CA"));
        }

        @Test
        void anIndustryWithoutWordsIsNotProvided() {
            assertThat(evaluate(application().industry(" -- "), twoPrograms).criteria()).contains(unknown(
                    "excluded_industries", "Industry is not provided; the lender excludes cannabis, NAICS 7132"));
        }

        @Test
        void emptyListsRestrictNothing() {
            LenderCriteria empty = new LenderCriteria(List.of(program("P").build()), List.of(), List.of(),
                    Arrays.asList(null, " "));
            assertThat(evaluate(application().state("CA").industry("cannabis"), empty).criteria()).isEmpty();
        }
    }

    @Nested
    class Scoring {
        @Test
        void scrapingByOnEveryThresholdKeepsForty() {
            Build.ProgramBuilder p = program("P").minFico(650).minMonths(24).minRevenue(500_000L)
                    .amounts(10_000L, 100_000L).maxTerm(60).minDown(10.0);
            MatchResult result = evaluate(application().fico(650).months(24).revenue(500_000L).amount(100_000L)
                    .term(60).downPayment(10.0), p);
            assertThat(result.status()).isEqualTo(Status.eligible);
            assertThat(result.score()).isEqualTo(ProgramEvaluation.SCRAPING_BY_SCORE).isEqualTo(40);
        }

        @Test
        void clearingEveryThresholdComfortablyIsAHundred() {
            Build.ProgramBuilder p = program("P").minFico(650).minMonths(24).minRevenue(500_000L)
                    .amounts(10_000L, 100_000L).maxTerm(60).minDown(10.0).maxAge(10).lookback(5).startups(false);
            MatchResult result = evaluate(application().fico(720).months(60).revenue(1_200_000L).amount(40_000L)
                    .term(36).downPayment(20.0).equipmentYear(2024), p);
            assertThat(result.score()).isEqualTo(100);
        }

        @Test
        void eachUnknownCostsMoreThanAnyOneCriterionsLostHeadroom() {
            assertThat(MatchingEngine.UNKNOWN_PENALTY).isGreaterThan(ProgramEvaluation.MAX_LOSS_PER_CRITERION);
            Build.ProgramBuilder p = program("P").minFico(650).minMonths(24).amounts(null, 250_000L);
            int scrapesByOnFico = evaluate(application().fico(650).months(96).amount(40_000L), p).score();
            int unknownFico = evaluate(application().months(96).amount(40_000L), p).score();
            assertThat(unknownFico).isLessThan(scrapesByOnFico);
            for (int graded = 1; graded <= 12; graded++) {
                for (int unknowns = 0; unknowns < 4; unknowns++) {
                    int oneLost = ProgramEvaluation.score(graded, 1, unknowns, 0);
                    int oneMoreUnknown = ProgramEvaluation.score(graded - 1, 0, unknowns + 1, 0);
                    if (oneMoreUnknown > 1) {
                        assertThat(oneMoreUnknown).as("%d graded, %d unknown", graded, unknowns).isLessThan(oneLost);
                    }
                }
            }
        }

        @Test
        void conditionalScoresStayAboveZeroAndIneligibleIsZero() {
            Build.ProgramBuilder p = program("P").minFico(650).minMonths(24).minRevenue(1L).maxTerm(60).minPaynet(600);
            assertThat(evaluate(application(), p).score()).isEqualTo(1);
            assertThat(evaluate(application().fico(500), p).score()).isZero();
        }

        @Test
        void theSameInputAlwaysGivesTheSameResult() {
            LoanApplication app = LenderGenerator.application();
            List<LenderCriteria> lenders = new LenderGenerator(11).lenders(300);
            List<MatchResult> first = new ArrayList<>();
            for (int i = 0; i < lenders.size(); i++) {
                first.add(engine.evaluate(app, i, "L" + i, lenders.get(i), TODAY));
            }
            MatchingEngine other = new MatchingEngine();
            for (int i = 0; i < lenders.size(); i++) {
                assertThat(other.evaluate(app, i, "L" + i, lenders.get(i), TODAY)).isEqualTo(first.get(i));
            }
        }
    }

    @Nested
    class EvidenceConditionsAndReview {

        private final LenderCriteria tiers = new LenderCriteria(List.of(
                program("Standard – Tier A").minFico(720).minMonths(36).build(),
                program("Standard – Tier B").minFico(670).minPaynet(650).minMonths(36).amounts(10_000L, 150_000L)
                        .conditions("700 FICO if no PayNet").build()),
                List.of("cannabis", "trucking"), List.of("CA"), null);
        private final Evidence tierB = Evidence.onPage(1, "650+ PayNet, 670+ FICO", "line 14");
        private final Map<String, Evidence> evidence = Map.of(
                "programs[1].min_fico", tierB,
                "programs[1].min_paynet", tierB,
                "programs[1].max_amount", Evidence.onPage(1, "B: $10,000 - $150,000", "line 15"),
                "programs[1].min_amount", Evidence.onPage(1, "B: $10,000 - $150,000", "line 15"),
                "programs[1].conditions[0]", Evidence.onPage(1, "700 FICO if no PayNet", "line 16"),
                "excluded_industries[1]", Evidence.onPage(2, "Trucking (Local & Long Haul)", "line 3"),
                "programs[1].min_time_in_business_months", Evidence.ENTERED_BY_HAND);

        private MatchResult evaluate(Build.Application app, boolean review) {
            return engine.evaluate(app.build(), 7, "Acme", tiers, evidence, review, TODAY);
        }

        @Test
        void reasonsQuoteTheGuidelineWhereTheValueWasRead() {
            MatchResult result = evaluate(application().fico(702).paynet(680).months(48).amount(120_000L)
                    .state("TX").industry("excavation contractor"), false);

            assertThat(result.program()).isEqualTo("Standard – Tier B");
            assertThat(result.criteria()).contains(
                    pass("min_fico", "FICO 702 meets the minimum of 670 (page 1: \"650+ PayNet, 670+ FICO\")"),
                    pass("min_paynet", "PayNet score 680 meets the minimum of 650 (page 1: \"650+ PayNet, 670+ FICO\")"),
                    pass("amount", "Amount requested $120,000 is within $10,000 to $150,000 "
                            + "(page 1: \"B: $10,000 - $150,000\")"),
                    pass("min_time_in_business_months", "Time in business 48 months meets the minimum of 36"));
        }

        @Test
        void aProgramsConditionsAreListedToCheckAndMakeItConditional() {
            MatchResult result = evaluate(application().fico(702).paynet(680).months(48).amount(120_000L)
                    .state("TX").industry("excavation contractor"), false);

            assertThat(result.status()).isEqualTo(Status.conditional);
            assertThat(result.criteria()).last().isEqualTo(unknown("condition",
                    "Condition to check with the lender: 700 FICO if no PayNet (page 1)"));
            LenderCriteria withoutCondition = new LenderCriteria(List.of(tiers.programs().get(0),
                    program("Standard – Tier B").minFico(670).minPaynet(650).minMonths(36).amounts(10_000L, 150_000L)
                            .build()), tiers.excludedIndustries(), tiers.excludedStates(), null);
            MatchResult plain = engine.evaluate(application().fico(702).paynet(680).months(48).amount(120_000L)
                    .state("TX").industry("excavation contractor").build(), 7, "Acme", withoutCondition, TODAY);
            assertThat(plain.status()).isEqualTo(Status.eligible);
            assertThat(result.score()).as("a condition costs less than an unknown")
                    .isEqualTo(plain.score() - ProgramEvaluation.CONDITION_PENALTY);
        }

        @Test
        void aFailureQuotesTheExclusionItFailsOn() {
            MatchResult result = evaluate(application().fico(720).months(48).industry("long-haul trucking"), false);

            assertThat(result.status()).isEqualTo(Status.ineligible);
            assertThat(result.criteria()).contains(fail("excluded_industries", "Long-haul trucking is an excluded "
                    + "industry (trucking) (page 2: \"Trucking (Local & Long Haul)\")"));
        }

        @Test
        void reasonsNamingAListTheGuidelineGivesQuoteWhereTheListIsWritten() {
            Evidence served = Evidence.onPage(1, "We lend in Pennsylvania, New Jersey and Delaware", "line 4");
            Evidence kinds = Evidence.onPage(2, "Eligible collateral: medical, dental", "line 7");
            Evidence excluded = Evidence.onPage(3, "Not eligible: cannabis, gambling", "line 2");
            LenderCriteria regional = new LenderCriteria(List.of(program("Medical").allowedTypes("medical", "dental")
                    .build()), List.of("cannabis", "gambling"), null, List.of("DE", "NJ", "PA"));
            Map<String, Evidence> quoted = Map.of("allowed_states[0]", served, "allowed_states[1]", served,
                    "programs[0].allowed_equipment_types[0]", kinds, "excluded_industries[0]", excluded);

            MatchResult elsewhere = engine.evaluate(application().state("TX").industry("dental office")
                    .equipmentType("trucks").build(), 7, "Acme", regional, quoted, false, TODAY);
            assertThat(elsewhere.criteria()).contains(
                    fail("state", "TX is not among the states served: DE, NJ, PA (page 1: \"We lend in Pennsylvania, "
                            + "New Jersey and Delaware\")"),
                    fail("equipment_type", "Equipment type trucks is not among those accepted: medical, dental "
                            + "(page 2: \"Eligible collateral: medical, dental\")"));

            MatchResult unknowns = engine.evaluate(application().build(), 7, "Acme", regional, quoted, false, TODAY);
            assertThat(unknowns.criteria()).extracting(CriterionCheck::reason)
                    .filteredOn(reason -> reason.contains("not provided"))
                    .hasSize(3)
                    .allMatch(reason -> reason.endsWith("\")"), "quotes the list it names");
        }

        @Test
        void aLenderAwaitingReviewSaysSoInEveryResult() {
            MatchResult reviewed = evaluate(application().fico(720).months(48), false);
            MatchResult unreviewed = evaluate(application().fico(720).months(48), true);

            assertThat(reviewed.reviewRequired()).isFalse();
            assertThat(reviewed.reviewNote()).isNull();
            assertThat(unreviewed.reviewRequired()).isTrue();
            assertThat(unreviewed.reviewNote()).contains("await an operator's review");
            assertThat(unreviewed.status()).as("the verdict itself is the same").isEqualTo(reviewed.status());
            assertThat(engine.evaluate(application().build(), 7, "Acme", new LenderCriteria(List.of(), null, null,
                    null), Map.of(), true, TODAY).reviewRequired()).isTrue();
        }
    }

    @Nested
    class Programs {
        @Test
        void onlyCriteriaTheProgramSetsAreChecked() {
            MatchResult result = evaluate(application().fico(700).amount(5_000_000L).state("CA"),
                    program("P").minFico(650));
            assertThat(result.criteria()).extracting(CriterionCheck::criterion).containsExactly("min_fico");
        }

        @Test
        void checksAreListedInCriterionOrder() {
            Program everything = new Program("All", 600, 12, 100_000L, 1_000L, 500_000L, 84, 600, 15,
                    List.of("construction"), List.of("aircraft"), false, 3, 0.0, List.of("Comparable credit required"));
            MatchResult result = engine.evaluate(LenderGenerator.application(), 1, "L",
                    new LenderCriteria(List.of(everything), List.of("cannabis"), List.of("CA"), null), TODAY);
            assertThat(result.criteria()).extracting(CriterionCheck::criterion)
                    .containsExactlyElementsOf(CriterionNames.ALL);
            assertThat(result.status()).as("a condition to check makes it conditional").isEqualTo(Status.conditional);
        }

        @Test
        void lendersWithoutProgramsAreErrors() {
            LoanApplication app = application().fico(700).build();
            assertThat(engine.evaluate(app, 3, "Empty", null, TODAY)).isEqualTo(new MatchResult(3, "Empty",
                    Status.error, null, null, null, false, null, List.of(), "lender has no criteria"));
            assertThat(engine.evaluate(app, 3, "Empty", new LenderCriteria(null, null, null, null), TODAY).error())
                    .isEqualTo("lender has no programs in its criteria");
            assertThat(engine.evaluate(app, 3, "Empty", new LenderCriteria(Arrays.asList((Program) null), null,
                    null, null), TODAY).status()).isEqualTo(Status.error);
        }

        @Test
        void aNullProgramAmongOthersIsSkipped() {
            MatchResult result = engine.evaluate(application().fico(700).build(), 1, "L",
                    new LenderCriteria(Arrays.asList(null, program("Real").minFico(650).build()), null, null, null),
                    TODAY);
            assertThat(result.program()).isEqualTo("Real");
        }

        @Test
        void theResultsChecksCannotBeChanged() {
            MatchResult result = evaluate(application().fico(700), program("P").minFico(650));
            assertThatThrownBy(() -> result.criteria().add(pass("x", "y")))
                    .isInstanceOf(UnsupportedOperationException.class);
        }
    }

    @Test
    void anApplicationAndADayAreRequired() {
        assertThatThrownBy(() -> engine.evaluate(null, 1, "L", lender(program("P").build()), TODAY))
                .isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> engine.evaluate(application().build(), 1, "L", lender(program("P").build()), null))
                .isInstanceOf(NullPointerException.class);
    }

    @Test
    void oneEngineServesManyApplicationsAndThreads() throws Exception {
        List<LenderCriteria> lenders = new LenderGenerator(3).lenders(200);
        List<LoanApplication> apps = List.of(LenderGenerator.application(),
                application().fico(610).months(8).industry("long-haul trucking").state("CA").amount(900_000L).build(),
                application().build());
        List<List<MatchResult>> expected = new ArrayList<>();
        for (LoanApplication app : apps) {
            MatchingEngine fresh = new MatchingEngine();
            List<MatchResult> results = new ArrayList<>();
            for (int i = 0; i < lenders.size(); i++) {
                results.add(fresh.evaluate(app, i, "L", lenders.get(i), TODAY));
            }
            expected.add(results);
        }
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<Boolean>> runs = new ArrayList<>();
            for (int t = 0; t < 12; t++) {
                int first = t;
                runs.add(pool.submit(() -> {
                    for (int round = 0; round < 20; round++) {
                        for (int i = 0; i < lenders.size(); i++) {
                            int a = (first + round + i) % apps.size();
                            if (!engine.evaluate(apps.get(a), i, "L", lenders.get(i), TODAY)
                                    .equals(expected.get(a).get(i))) {
                                return false;
                            }
                        }
                    }
                    return true;
                }));
            }
            for (Future<Boolean> run : runs) {
                assertThat(run.get()).isTrue();
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void countingOnlyAndDescribingAgreeOnEveryProgram() {
        List<LoanApplication> apps = List.of(LenderGenerator.application(), application().build(),
                application().fico(640).months(14).amount(60_000L).term(72).equipmentYear(2012).industry("trucking")
                        .state("NV").bankruptcy(3.0).downPayment(0.0).build(),
                application().fico(780).started(LocalDate.of(2010, 3, 1)).amount(2_000_000L).revenue(9_000_000L)
                        .equipmentType("dump trucks").condition("new").paynet(720).naics("453998").build());
        for (LoanApplication app : apps) {
            ApplicationFacts facts = new ApplicationFacts(app, TODAY);
            for (LenderCriteria criteria : new LenderGenerator(9).lenders(300)) {
                CriterionCheck industry = MatchingEngine.checkIndustries(facts, criteria.excludedIndustries(), Map.of());
                CriterionCheck state = MatchingEngine.checkStates(facts, criteria.excludedStates(),
                        criteria.allowedStates(), Map.of());
                for (int i = 0; i < criteria.programs().size(); i++) {
                    Program p = criteria.programs().get(i);
                    ProgramEvaluation counted = MatchingEngine.evaluateProgram(facts, p, i, industry, state, false,
                            Map.of());
                    ProgramEvaluation described = MatchingEngine.evaluateProgram(facts, p, i, industry, state, true,
                            Map.of());
                    assertThat(counted.checks).isEmpty();
                    assertThat(counted.status()).isEqualTo(described.status());
                    assertThat(counted.score()).isEqualTo(described.score());
                    assertThat(counted.failures).isEqualTo(described.failures);
                    assertThat(counted.unknowns).isEqualTo(described.unknowns);
                }
            }
        }
    }

    @Test
    void checkCountIsTheNumberOfChecksEvaluatePerforms() {
        LoanApplication app = LenderGenerator.application();
        for (LenderCriteria criteria : new LenderGenerator(5).lenders(500)) {
            int lenderWide = engine.evaluate(app, 1, "L", new LenderCriteria(List.of(program("none").build()),
                    criteria.excludedIndustries(), criteria.excludedStates(), criteria.allowedStates()), TODAY)
                    .criteria().size();
            int performed = lenderWide;
            for (Program p : criteria.programs()) {
                performed += engine.evaluate(app, 1, "L", new LenderCriteria(List.of(p), criteria.excludedIndustries(),
                        criteria.excludedStates(), criteria.allowedStates()), TODAY).criteria().size() - lenderWide;
            }
            assertThat(MatchingEngine.checkCount(criteria)).isEqualTo(performed);
        }
    }
}
