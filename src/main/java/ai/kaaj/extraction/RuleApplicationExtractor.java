package ai.kaaj.extraction;

import ai.kaaj.domain.LoanApplication;
import ai.kaaj.engine.Interruption;

import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads a credit application form's fields from its text ("Business Name: Rivera Excavation LLC",
 * "Amount Requested | $120,000", "Guarantor FICO    702"), with the same line handling and
 * normalisers as guideline extraction. A field it cannot read is left out: matching then reports it unknown.
 */
public final class RuleApplicationExtractor {

    private enum Field {
        BUSINESS_NAME("(?:business|company|legal|applicant|borrower)(?:'s)?\\s*(?:legal\\s+)?name|applicant|borrower"),
        NAICS("naics(?:\\s+code)?"),
        INDUSTRY("industry|business\\s+type|type\\s+of\\s+business|nature\\s+of\\s+business|line\\s+of\\s+business"),
        START_DATE("(?:business\\s+)?start\\s+date|date\\s+(?:established|founded|of\\s+inception)|in\\s+business\\s+since"
                + "|established|inception\\s+date|founded"),
        TIME_IN_BUSINESS("time\\s+in\\s+business|years\\s+in\\s+business|tib|months\\s+in\\s+business"),
        ANNUAL_REVENUE("(?:(?:gross|annual|yearly|total)\\s+){0,3}(?:revenues?|sales)"),
        AMOUNT("amount\\s+requested|requested\\s+amount|(?:loan|lease|financing|finance)\\s+amount|amount\\s+to\\s+finance"
                + "|equipment\\s+cost|total\\s+cost|amount"),
        TERM("(?:requested\\s+)?term(?:\\s+requested)?(?:\\s+\\(months\\))?"),
        EQUIPMENT_YEAR("(?:equipment\\s+)?(?:model\\s+)?year"),
        EQUIPMENT_CONDITION("(?:equipment\\s+)?condition|new\\s*/\\s*used"),
        EQUIPMENT_TYPE("equipment\\s+type|type\\s+of\\s+equipment|equipment(?:\\s+description)?|collateral"),
        FICO("(?:guarantor\\s+|personal\\s+|owner\\s+)?(?:fico|credit\\s+score|beacon)(?:\\s+score)?"),
        PAYNET("paynet(?:\\s+(?:master\\s?)?score)?"),
        BANKRUPTCY("(?:prior\\s+|previous\\s+)?bankruptcy(?:\\s+history)?|bk"),
        DOWN_PAYMENT("down\\s*payment(?:\\s+%)?|downpayment"),
        STATE("(?:business\\s+)?state(?:\\s+of\\s+(?:business|operation))?");

        final Pattern label;

        Field(String label) {
            this.label = Pattern.compile("(?i)^(?:" + label + ")\\s*(?:\\(.*\\))?$");
        }
    }

    private static final Pattern FOUR_DIGIT_YEAR = Pattern.compile("\\b(19[5-9]\\d|20\\d\\d)\\b");
    private static final Pattern WHOLE_NUMBER = Pattern.compile("\\b(\\d{1,4})\\b");
    private static final List<DateTimeFormatter> DATES = List.of(DateTimeFormatter.ofPattern("M/d/uuuu"),
            DateTimeFormatter.ISO_LOCAL_DATE, DateTimeFormatter.ofPattern("M-d-uuuu"));

    public LoanApplication extract(String text) {
        String businessName = null;
        String state = null;
        String industry = null;
        String naics = null;
        Integer timeInBusiness = null;
        LocalDate startDate = null;
        Long revenue = null;
        Long amount = null;
        Integer term = null;
        String equipmentType = null;
        Integer equipmentYear = null;
        String condition = null;
        Integer fico = null;
        Integer paynet = null;
        Double bankruptcy = null;
        Double downPayment = null;
        for (String line : RuleCriteriaExtractor.lines(text)) {
            Interruption.check();
            int colon = line.indexOf(':');
            if (colon <= 0) {
                continue;
            }
            String label = line.substring(0, colon).trim();
            String value = line.substring(colon + 1).trim();
            if (value.isEmpty()) {
                continue;
            }
            Field field = fieldOf(label);
            if (field == null) {
                continue;
            }
            switch (field) {
                case BUSINESS_NAME -> businessName = businessName == null ? value : businessName;
                case STATE -> state = state == null ? stateOf(value) : state;
                case INDUSTRY -> industry = industry == null ? value.toLowerCase(Locale.ROOT) : industry;
                case NAICS -> naics = naics == null ? firstMatch(Pattern.compile("\\b(\\d{2,6})\\b"), value) : naics;
                case TIME_IN_BUSINESS -> timeInBusiness = timeInBusiness == null ? Normalizers.months(value)
                        : timeInBusiness;
                case START_DATE -> startDate = startDate == null ? date(value) : startDate;
                case ANNUAL_REVENUE -> revenue = revenue == null ? Normalizers.money(dollars(value)) : revenue;
                case AMOUNT -> amount = amount == null ? Normalizers.money(dollars(value)) : amount;
                case TERM -> term = term == null ? termOf(value) : term;
                case EQUIPMENT_TYPE -> equipmentType = equipmentType == null ? value.toLowerCase(Locale.ROOT)
                        : equipmentType;
                case EQUIPMENT_YEAR -> equipmentYear = equipmentYear == null ? intOf(FOUR_DIGIT_YEAR, value)
                        : equipmentYear;
                case EQUIPMENT_CONDITION -> condition = condition == null ? conditionOf(value) : condition;
                case FICO -> fico = fico == null ? scoreOf(value, 300, 850) : fico;
                case PAYNET -> paynet = paynet == null ? scoreOf(value, 0, 999) : paynet;
                case BANKRUPTCY -> bankruptcy = bankruptcy == null ? bankruptcyOf(value) : bankruptcy;
                case DOWN_PAYMENT -> downPayment = downPayment == null ? Normalizers.percent(value) : downPayment;
                default -> {
                }
            }
        }
        return new LoanApplication(businessName, state, industry, naics, timeInBusiness, startDate, revenue, amount,
                term, equipmentType, equipmentYear, condition, fico, paynet, bankruptcy, downPayment);
    }

    private static Field fieldOf(String label) {
        String cleaned = label.replaceAll("[*#]", "").trim();
        for (Field field : Field.values()) {
            if (field.label.matcher(cleaned).matches()) {
                return field;
            }
        }
        return null;
    }

    /** A form's money fields are dollars even without "$": "120,000" or "120000". */
    private static String dollars(String value) {
        return value.contains("$") ? value : "$" + value.trim();
    }

    private static String stateOf(String value) {
        return UsStates.toCode(value).or(() -> Normalizers.states(value).stream().findFirst())
                .orElse(null);
    }

    private static Integer termOf(String value) {
        Integer months = Normalizers.months(value);
        return months != null ? months : intOf(WHOLE_NUMBER, value);
    }

    private static String conditionOf(String value) {
        String lower = value.toLowerCase(Locale.ROOT);
        return lower.contains("used") || lower.contains("pre-owned") ? "used" : lower.contains("new") ? "new" : null;
    }

    private static Integer scoreOf(String value, int min, int max) {
        Integer score = intOf(Pattern.compile("\\b(\\d{2,3})\\b"), value);
        return score != null && score >= min && score <= max ? score : null;
    }

    /** "None" or "No" is no bankruptcy (null); "discharged 5 years ago" is 5. */
    private static Double bankruptcyOf(String value) {
        Matcher m = Normalizers.DURATION.matcher(value);
        if (m.find()) {
            Integer months = Normalizers.monthsOf(m);
            return months == null ? null : months / 12.0;
        }
        return null;
    }

    private static LocalDate date(String value) {
        String trimmed = value.trim();
        for (DateTimeFormatter format : DATES) {
            try {
                return LocalDate.parse(trimmed, format);
            } catch (DateTimeParseException ignored) {
                // try the next format
            }
        }
        Integer year = intOf(FOUR_DIGIT_YEAR, trimmed);
        return year == null ? null : LocalDate.of(year, 1, 1);
    }

    private static Integer intOf(Pattern pattern, String value) {
        String match = firstMatch(pattern, value);
        return match == null ? null : Integer.parseInt(match);
    }

    private static String firstMatch(Pattern pattern, String value) {
        Matcher m = pattern.matcher(value);
        return m.find() ? m.group(1) : null;
    }
}
