package ai.kaaj.extraction;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A guideline statement cut into what it states firmly and what it states on a condition. "680+ FICO (700 if
 * no PayNet)" firmly states 680; the 700 holds only without PayNet, so it is kept as a condition to check and
 * not read as the minimum. Soft rules ("may be considered", "+0.50% for titled", "all guarantors") are kept as
 * conditions too, beside the values the statement gives.
 *
 * @param firm        the text to read values from
 * @param conditional the clauses that hold only on a condition, not read as values
 * @param condition   whether the statement as a whole is a condition of the program (it has a conditional clause
 *                    or a qualifier the schema cannot hold)
 */
record Clauses(String firm, List<String> conditional, boolean condition) {

    private static final int FLAGS = Pattern.CASE_INSENSITIVE;
    /** Words that make a clause hold only in some cases. */
    private static final Pattern CONDITIONAL = Pattern.compile(
            "\\b(?:if|unless(?!\\s+(?:the\\s+)?bankruptcy\\s+(?:was|is|has\\s+been)\\s+discharged)|otherwise|in\\s+lieu\\s+of|w/o|(?:on|for)\\s+scores|when\\s+[^,.;]{0,40}?\\bno\\b(?!\\s+(?:more|older|less|later)\\s+than)|without\\s+(?:paynet|a\\s+paynet|business\\s+credit|"
                    + "financials|personal\\s+guarant\\w*|a\\s+pg|pg)|except\\s+(?:when|for|if|where))\\b", FLAGS);
    /** In parentheses these make an exception to the statement: "2 years (1 year with 680+ Beacon)". */
    private static final Pattern EXCEPTION_WORDS = Pattern.compile("\\b(?:with|for|on|when|above|over|below)\\b", FLAGS);
    /**
     * Soft rules: not hard limits, so no value is read from them ("FICO below 650 may be considered with
     * mitigating factors", "comparable credit required above $500,000", "equipment age plus term under 20 years",
     * "deals over $250,000 require tax returns").
     */
    private static final Pattern SOFT_RULE = Pattern.compile(
            "may\\s+be\\s+(?:considered|allowed|approved|accepted|reviewed)|\\best(?:\\.|imated)\\s+term|case[\\s-]+by[\\s-]+case|cautionary|"
                    + "mitigating|comparable\\s+credit|exceptions?\\b|stricter|with\\s+approval|on\\s+approval|"
                    + "call\\s+(?:before|first|us|your\\s+rep)|age\\s+(?:plus|\\+|and)\\s+term|term\\s+(?:plus|\\+)\\s+age|"
                    + "(?:bank\\s+statements|tax\\s+returns|financial\\s+statements|financials)\\s+(?:are\\s+)?"
                    + "(?:required\\s+)?(?:for|on|above|over)\\b|(?:for|on)\\s+(?:requests|deals|transactions|applications)\\s+"
                    + "(?:above|over|greater\\s+than)|(?:requests|deals|transactions|applications|loans|leases)\\s+(?:above|over|"
                    + "greater\\s+than|more\\s+than|exceeding)\\s+\\$\\s?[\\d,.]+\\s?(?:k|mm|m|million)?\\s+(?:requires?|required|needs?|"
                    + "must|(?:are\\s+)?subject\\s+to|call|contact)\\b", FLAGS);
    /** What the schema cannot hold beside a value: whose score, pricing add-ons, mileage. Kept as conditions. */
    private static final Pattern QUALIFIER = Pattern.compile(
            "\\+\\s?\\d+(?:\\.\\d+)?\\s?%|all\\s+guarantors|each\\s+guarantor|majority\\s+owner|transunion|equifax|"
                    + "experian|mileage|\\bmiles\\b|private[\\s-]+party|sale[\\s-]+leaseback|soft\\s+costs?|subject\\s+to|"
                    + "additional\\s+(?:collateral|down|security)", FLAGS);
    /** Where a statement's clauses part. */
    private static final Pattern CLAUSE_BREAK = Pattern.compile(";|,\\s+(?=(?:or|but|and)\\b)|\\s+-\\s+|,\\s+(?=\\d)");
    private static final Pattern PARENTHESIS = Pattern.compile("\\(([^()]*)\\)");

    static Clauses of(String statement) {
        List<String> conditional = new ArrayList<>();
        StringBuilder firm = new StringBuilder();
        Matcher parenthesis = PARENTHESIS.matcher(statement);
        int last = 0;
        while (parenthesis.find()) {
            String inside = parenthesis.group(1);
            if (CONDITIONAL.matcher(inside).find() || (inside.matches(".*\\d.*") && EXCEPTION_WORDS.matcher(inside).find())) {
                firm.append(statement, last, parenthesis.start());
                conditional.add(parenthesis.group(1).trim());
                last = parenthesis.end();
            }
        }
        String rest = firm.append(statement.substring(last)).toString();
        StringBuilder kept = new StringBuilder();
        Matcher breaks = CLAUSE_BREAK.matcher(rest);
        int from = 0;
        while (true) {
            boolean more = breaks.find();
            int to = more ? breaks.start() : rest.length();
            String clause = rest.substring(from, to);
            if (CONDITIONAL.matcher(clause).find() || SOFT_RULE.matcher(clause).find()) {
                conditional.add(clause.trim());
            } else {
                kept.append(clause).append(more ? breaks.group() : "");
            }
            if (!more) {
                break;
            }
            from = breaks.end();
        }
        return new Clauses(kept.toString().trim(), conditional,
                !conditional.isEmpty() || QUALIFIER.matcher(statement).find());
    }
}
