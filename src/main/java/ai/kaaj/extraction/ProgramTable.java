package ai.kaaj.extraction;

import ai.kaaj.domain.Evidence;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How a table with one row per program reads its cells: which first cells name a program ("Quick Lease",
 * "Titled Equipment", an amount band "$75,001 – $150K"), and what a cell says under its column's header, with the
 * unit the header gives ("Max Amount ($K)" over "250" is $250,000).
 */
final class ProgramTable {

    private static final int FLAGS = Pattern.CASE_INSENSITIVE;

    /**
     * A first cell that names a criterion, not a program: a product may be named by what it finances ("Quick
     * Lease", "Titled Equipment", "Term Loan"), so only the words of a criterion's own label count here.
     */
    private static final Pattern CRITERION_NAME = Pattern.compile(
            "^(?:min(?:imum)?|max(?:imum)?)\\b|fico|beacon|\\bscores?\\b|paynet|\\btib\\b|time\\s+in\\b|years?\\s+in\\b|"
                    + "revenue|\\bsales\\b|bankrupt|down\\s+payment|\\bage\\b|\\bamounts?\\b|\\bsize\\b|\\bterms?$", FLAGS);

    /** An amount band as a row's first cell: "Up to $75K", "$75,001 – $150K", "> $150K", "$150,001+". */
    private static final String MONEY = "\\$\\s?\\d[\\d,.]*\\s?(?:k|mm|m|million)?";
    private static final Pattern UP_TO = Pattern.compile("(?:up\\s+to|under|<|≤|to)\\s*(" + MONEY + ")", FLAGS);
    private static final Pattern BETWEEN = Pattern.compile("(" + MONEY + ")\\s*(?:-|to|through)\\s*(" + MONEY + ")", FLAGS);
    private static final Pattern ABOVE = Pattern.compile("(?:over|above|more\\s+than|>)\\s*(" + MONEY + ")", FLAGS);
    private static final Pattern FROM = Pattern.compile("(" + MONEY + ")\\s*\\+|(?:from|≥|>=)\\s*(" + MONEY + ")", FLAGS);

    /** A header's unit in parentheses: "($K)", "(000s)", "(yrs)", "(months)", "(%)". */
    private static final Pattern UNIT = Pattern.compile("\\(\\s*([^)]{1,12}?)\\s*\\)\\s*$");

    private ProgramTable() {
    }

    /** An amount band with its ends; either end may be open. */
    record Band(Long min, Long max) {
    }

    /** The first cell of a row names a program: short words, no figures, not a criterion's label. */
    static boolean isProgramName(String cell) {
        return cell.length() <= 40 && cell.matches(".*[A-Za-z].*") && !cell.matches(".*\\d{3,}.*")
                && !cell.contains("$") && !CRITERION_NAME.matcher(cell).find();
    }

    /** The amount band a cell is, or null when it is not only a band. */
    static Band band(String cell) {
        String text = cell.replace('\u2013', '-').replace('\u2014', '-').trim();
        if (text.length() > 40 || text.replaceAll(MONEY, "").matches(".*\\d.*")) {
            return null;
        }
        Matcher m = BETWEEN.matcher(text);
        if (m.matches()) {
            Long low = Normalizers.money(m.group(1));
            Long high = Normalizers.money(m.group(2));
            return low != null && high != null && low < high ? new Band(low, high) : null;
        }
        m = UP_TO.matcher(text);
        if (m.matches()) {
            return new Band(null, Normalizers.money(m.group(1)));
        }
        m = ABOVE.matcher(text);
        if (m.matches()) {
            // "Over $150K" starts a dollar above the band that ends at $150K.
            Long above = Normalizers.money(m.group(1));
            return above == null ? null : new Band(above + 1, null);
        }
        m = FROM.matcher(text);
        if (m.matches()) {
            return new Band(Normalizers.money(m.group(1) != null ? m.group(1) : m.group(2)), null);
        }
        return null;
    }

    /**
     * A cell read as a statement of its column: "Min" over "$10,000" is "minimum amount: $10,000", "Max Amount ($K)"
     * over "250" is "max amount: $250K", "TIB (yrs)" over "2" is "tib: 2 years", "Term" over "60" is "term: 60 months".
     */
    static String statement(String label, String value) {
        String name = RuleCriteriaExtractor.plainLabel(label).toLowerCase(Locale.ROOT).replace("equip.", "equipment");
        Matcher unit = UNIT.matcher(name);
        String bare = value.trim().replaceFirst("\\+$", "");
        if (unit.find()) {
            name = name.substring(0, unit.start()).trim();
            if (bare.matches("\\d+(?:\\.\\d+)?")) {
                value = withUnit(unit.group(1), bare, value);
            }
        }
        if (name.matches("min\\.?")) {
            name = "minimum amount";
        } else if (name.matches("max\\.?")) {
            name = "maximum amount";
        } else if (name.equals("down")) {
            name = "down payment";
        } else if (name.matches("(?:max(?:imum)?\\.?\\s+)?terms?") && value.matches("\\d{1,3}")) {
            value = value + " months";
        }
        return name + ": " + value;
    }

    /** A cell that states its own label: "FICO: 700+", "In business: 5 years". */
    private static final Pattern LABELLED_CELL = Pattern.compile("([^:\\d]{1,40}?)\\s*:\\s*(\\S.*)");

    /**
     * A row of a table whose columns are programs and whose every cell states its own label, as boxes side by side
     * under tier names write it ("FICO: 700+ | FICO: 670+ | FICO: 640+"): the label they share, then each column's
     * value; null when the cells state different things.
     */
    static List<String> labelledRow(List<String> cells) {
        List<String> out = new ArrayList<>();
        for (String cell : cells) {
            Matcher m = LABELLED_CELL.matcher(cell.trim());
            if (!m.matches() || !out.isEmpty() && !out.get(0).equalsIgnoreCase(m.group(1).trim())) {
                return null;
            }
            if (out.isEmpty()) {
                out.add(m.group(1).trim());
            }
            out.add(m.group(2).trim());
        }
        return out;
    }

    /** A bare number in the unit its header names; the cell as written when the unit is not one of these. */
    private static String withUnit(String unit, String number, String written) {
        String u = unit.toLowerCase(Locale.ROOT).replace(" ", "");
        if (u.matches("\\$?(?:k|000s?|thousands?)")) {
            return "$" + number + "K";
        }
        if (u.matches("\\$?(?:mm|m|millions?)")) {
            return "$" + number + "MM";
        }
        if (u.matches("yrs?|years?")) {
            return number + " years";
        }
        if (u.matches("mos?|months?")) {
            return number + " months";
        }
        if (u.equals("%")) {
            return number + "%";
        }
        return written;
    }

    /**
     * A criterion's label that wraps in a narrow key-value table ("Time in" over "business | 2 years") comes as a
     * line of its own above its row: it is joined to the row's first cell again when the two start at the same x,
     * touch, and make a criterion's label together.
     */
    static List<GuidelineLine> wrappedLabelsJoined(List<GuidelineLine> lines) {
        List<GuidelineLine> out = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            GuidelineLine line = lines.get(i);
            GuidelineLine next = i + 1 < lines.size() ? lines.get(i + 1) : null;
            if (next != null && wrapsInto(line, next)) {
                double[] a = line.box();
                double[] b = next.box();
                out.add(new GuidelineLine(next.page(), line.text().strip() + " " + next.text().strip(), false,
                        new double[] {Math.min(a[0], b[0]), a[1], Math.max(a[2], b[2]), b[3]}));
                i++;
                continue;
            }
            out.add(line);
        }
        return out;
    }

    private static boolean wrapsInto(GuidelineLine label, GuidelineLine row) {
        String text = label.text().strip();
        String first = row.text().split("\\s*\\|\\s*", 2)[0].strip();
        double[] a = label.box();
        double[] b = row.box();
        return a != null && b != null && label.page() == row.page() && !label.heading() && !text.contains("|")
                && text.length() <= 25 && !text.matches(".*[\\d:$].*") && row.text().contains(" | ")
                && !first.isEmpty() && Character.isLowerCase(first.charAt(0))
                && Math.abs(a[0] - b[0]) <= 3 && b[1] - a[3] <= 4
                && CRITERION_NAME.matcher(text + " " + first).find() && !CRITERION_NAME.matcher(first).find();
    }

    /** Two titles side by side on a page: their tops level, their widths apart. */
    static boolean beside(Evidence a, Evidence b) {
        if (a == null || b == null || a.box() == null || b.box() == null || !a.page().equals(b.page())) {
            return false;
        }
        List<Double> x = a.box();
        List<Double> y = b.box();
        return Math.abs(x.get(1) - y.get(1)) <= 4 && (x.get(2) < y.get(0) || y.get(2) < x.get(0));
    }
}
