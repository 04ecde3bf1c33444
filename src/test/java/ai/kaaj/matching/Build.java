package ai.kaaj.matching;

import ai.kaaj.domain.LenderCriteria;
import ai.kaaj.domain.LoanApplication;
import ai.kaaj.domain.Program;

import java.time.LocalDate;
import java.util.List;

/** Applications and programs for tests, field by field. */
final class Build {

    private Build() {
    }

    static Application application() {
        return new Application();
    }

    static ProgramBuilder program(String name) {
        return new ProgramBuilder(name);
    }

    static LenderCriteria lender(Program... programs) {
        return new LenderCriteria(List.of(programs), null, null, null);
    }

    static final class Application {
        private String state;
        private String industry;
        private String naics;
        private Integer months;
        private LocalDate started;
        private Long revenue;
        private Long amount;
        private Integer term;
        private String equipmentType;
        private Integer equipmentYear;
        private String condition;
        private Integer fico;
        private Integer paynet;
        private Double bankruptcy;
        private Double downPayment;

        Application state(String value) { state = value; return this; }
        Application industry(String value) { industry = value; return this; }
        Application naics(String value) { naics = value; return this; }
        Application months(Integer value) { months = value; return this; }
        Application started(LocalDate value) { started = value; return this; }
        Application revenue(Long value) { revenue = value; return this; }
        Application amount(Long value) { amount = value; return this; }
        Application term(Integer value) { term = value; return this; }
        Application equipmentType(String value) { equipmentType = value; return this; }
        Application equipmentYear(Integer value) { equipmentYear = value; return this; }
        Application condition(String value) { condition = value; return this; }
        Application fico(Integer value) { fico = value; return this; }
        Application paynet(Integer value) { paynet = value; return this; }
        Application bankruptcy(Double value) { bankruptcy = value; return this; }
        Application downPayment(Double value) { downPayment = value; return this; }

        LoanApplication build() {
            return new LoanApplication("Test Business LLC", state, industry, naics, months, started, revenue, amount,
                    term, equipmentType, equipmentYear, condition, fico, paynet, bankruptcy, downPayment);
        }
    }

    static final class ProgramBuilder {
        private final String name;
        private Integer minFico;
        private Integer minMonths;
        private Long minRevenue;
        private Long minAmount;
        private Long maxAmount;
        private Integer maxTerm;
        private Integer minPaynet;
        private Integer maxAge;
        private List<String> allowedTypes;
        private List<String> excludedTypes;
        private Boolean startups;
        private Integer lookback;
        private Double minDown;
        private List<String> conditions;

        ProgramBuilder(String name) {
            this.name = name;
        }

        ProgramBuilder minFico(Integer value) { minFico = value; return this; }
        ProgramBuilder minMonths(Integer value) { minMonths = value; return this; }
        ProgramBuilder minRevenue(Long value) { minRevenue = value; return this; }
        ProgramBuilder amounts(Long min, Long max) { minAmount = min; maxAmount = max; return this; }
        ProgramBuilder maxTerm(Integer value) { maxTerm = value; return this; }
        ProgramBuilder minPaynet(Integer value) { minPaynet = value; return this; }
        ProgramBuilder maxAge(Integer value) { maxAge = value; return this; }
        ProgramBuilder allowedTypes(String... values) { allowedTypes = List.of(values); return this; }
        ProgramBuilder excludedTypes(String... values) { excludedTypes = List.of(values); return this; }
        ProgramBuilder startups(Boolean value) { startups = value; return this; }
        ProgramBuilder lookback(Integer value) { lookback = value; return this; }
        ProgramBuilder minDown(Double value) { minDown = value; return this; }
        ProgramBuilder conditions(String... values) { conditions = List.of(values); return this; }

        Program build() {
            return new Program(name, minFico, minMonths, minRevenue, minAmount, maxAmount, maxTerm, minPaynet, maxAge,
                    allowedTypes, excludedTypes, startups, lookback, minDown, conditions);
        }
    }
}
