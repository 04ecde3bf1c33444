package ai.kaaj.extraction;

import ai.kaaj.domain.CriteriaReading;
import ai.kaaj.domain.Evidence;
import ai.kaaj.domain.LenderCriteria;
import ai.kaaj.domain.Program;
import ai.kaaj.engine.Interruption;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads a lender's criteria out of guideline text, offline: bullet lists, two-column tables
 * ("Minimum FICO | 650", "Beacon    650"), prose ("we require at least two years in business"),
 * several programs under their headings, and lender-wide exclusion lists. Each criterion is found by
 * its keywords and the value next to them; wording it does not know yields null, never a guess.
 * Values written before the first program heading apply to every program that does not set its own.
 */
public final class RuleCriteriaExtractor {

    private static final int FLAGS = Pattern.CASE_INSENSITIVE;

    /** A program heading: a short line naming a program, tier or credit grade. */
    private static final Pattern PROGRAM_HEADING = Pattern.compile(
            "^(?:[#*\\-•\\s]*)((?:tier\\s*[0-9a-z]+|(?:level|grade)\\s*(?:\\d{1,2}|[a-d][+-]?)(?![\\w.])|[abc][+-]?\\s+(?:credit|paper|tier)|"
                    + "(?:[\\w&'/-]+\\s+){0,4}program|app(?:lication)?[\\s-]+only(?:\\s+[\\w-]+){0,2}|"
                    + "full[\\s-]+financials?(?:\\s+[\\w-]+){0,2}|start[\\s-]?ups?(?:\\s+[\\w-]+){0,2}|"
                    + "(?:[\\w&'/-]+\\s+){0,3}(?:track|tier)|program\\s*(?:name|#?\\s*\\d{1,2})?\\s*:\\s*[a-z][\\w&'/+ -]{1,40}|"
                    + "[a-d][+-]?\\s+(?:rate|credit|tier|paper)\\s+(?:guidelines|requirements|criteria|box)|"
                    + "(?:tier|grade|level|class)\\s*[0-9a-d][+-]?\\s+(?:guidelines|requirements|criteria)|"
                    + "corp(?:orate|\\.)?\\s+only(?:\\s+[\\w-]+){0,2}|"
                    + "(?:standard|medical|titled|non[\\s-]titled)\\s+(?:pricing|programs?|products?|equipment|guidelines|tiers?))"
                    + "(?:\\s*\\([^)]*\\))?)\\s*:?\\s*$", FLAGS);
    private static final Pattern PARENTHESIS = Pattern.compile("\\(([^)]*\\d[^)]*)\\)");

    /** Words that make a heading name a product (a program, or a section of tiers). */
    private static final Pattern PRODUCT_HEADING = Pattern.compile(
            "\\b(?:programs?|products?|plan|track|start[\\s-]?ups?|established|standard|medical|dental|veterinary|"
                    + "healthcare|titled|vendor|corp(?:orate|\\.)?\\s+only|municipal|franchise|fleet|express|preferred|"
                    + "premier|prime|private[\\s-]+party|sale[\\s-]+leaseback|app(?:lication)?[\\s-]+only|full[\\s-]+financials?)\\b", FLAGS);
    /** Words that make a heading a topic of the guide instead. */
    private static final Pattern TOPIC_HEADING = Pattern.compile(
            "\\b(?:credit\\s+history|collateral|territory|geograph\\w*|documentation|documents|pricing|rates?|contact|"
                    + "industr\\w*|states|general|overview|requirements|notes?|submission|about|how\\s+to|glance|"
                    + "guide|guidelines|summary|highlights|ways|submissions?|funding|restrictions?|who\\s+we\\s+are|"
                    + "contacts?|questions|process|closing|insurance|pricing)\\b", FLAGS);

    /** A short line in capitals with no figures, as designed pages set section titles: "STANDARD EQUIPMENT". */
    private static final Pattern CAPITALS_HEADING = Pattern.compile("[A-Z][A-Z&,'/ .-]{3,60}");

    /** A heading that names a tier or credit grade within a section, not a product section of its own. */
    private static final Pattern TIER_NAME = Pattern.compile(
            "^(?:(?:tier|grade|level|class)\\s*[0-9a-z]{1,2}[+-]?(?![a-z])|[a-d][+-]?(?:\\s+(?:credit|paper|tier|rate))"
                    + "(?![a-z])|app(?:lication)?[\\s-]+only|full[\\s-]+financials?)", FLAGS);
    /** Words alone on a line that open a list of exclusions: "We do not finance", "Ineligible businesses". */
    private static final Pattern LIST_OPENER = Pattern.compile(
            "(?:(?:industries|businesses)\\s+)?(?:not\\s+eligible|(?:who\\s+)?we\\s+(?:do\\s+not|don't|will\\s+not|won't|cannot)\\s+(?:finance|fund|lend\\s+to|work\\s+with|consider|lease\\s+to|serve)|"
                    + "(?:ineligible|restricted|prohibited|excluded|unacceptable|declined)\\s+(?:businesses|business\\s+types|borrowers|"
                    + "industries|industry\\s+types|collateral|equipment))(?:\\s+(?:include|are|list))?\\s*\\.?", FLAGS);
    /** Start-ups named as an item of an exclusion list. */
    private static final Pattern EXCLUDED_STARTUPS = Pattern.compile(":.*\\bstart[\\s-]?ups?\\b", FLAGS);
    /** A heading over a list of exclusions, with no colon: "Excluded Industry/Equipment". */
    private static final Pattern LIST_HEADING = Pattern.compile(
            "(?:excluded|restricted|prohibited|ineligible|unacceptable|declined)\\s+(?:industr(?:y|ies)|businesses|equipment|"
                    + "collateral|states)(?:\\s*(?:/|and|&)\\s*(?:industr(?:y|ies)|equipment|collateral|businesses))?"
                    + "(?:\\s+(?:list|types))?|(?:industry|equipment|state)\\s+(?:restrictions|exclusions)", FLAGS);
    /** A sentence that opens with a named program: "Our Gold program is designed for ...". */
    private static final Pattern PROSE_PROGRAM = Pattern.compile(
            "^(?:[Oo]ur|[Tt]he)\\s+((?:[A-Z][\\w&'+-]*\\s+){0,3}[A-Z][\\w&'+-]*)\\s+(?i:(program|tier|product|plan))\\b"
                    + "(?!\\s*(?:guidelines?|guide|overview|summary|highlights)\\b)");

    /** A heading that starts a lender-wide part again (exclusions after the programs). */
    private static final Pattern GENERAL_HEADING = Pattern.compile(
            "^(?:[#*\\-•\\s]*)(general|restrictions?|exclusions?|restricted|prohibited|ineligible|eligibility|"
                    + "applies\\s+to\\s+(?:all|every|each)|(?:all|every)\\s+(?:program|tier|product)s?|"
                    + "geograph\\w*|industry restrictions|all programs|credit policy|overview|program[\\s-]*wide|"
                    + "(?:all|both)\\s+(?:programs|tiers|products|grades|levels|plans)|notes?|additional\\s+(?:requirements|guidelines)|"
                    + "other\\s+requirements|lending\\s+area|states?|industr\\w*|"
                    + "(?:policies|rules|requirements|terms|guidelines)\\s+(?:for|of|applying\\s+to)\\s+(?:all|both|every))\\b[^0-9$]{0,40}:?\\s*$", FLAGS);

    private static final Pattern FICO = Pattern.compile(
            "(?:fico|credit\\s+scores?|beacon|personal\\s+credit|guarantor\\s+(?:credit\\s+)?score|"
                    + "minimum\\s+score|consumer\\s+credit|^credit\\s*:)[^0-9\\n]{0,40}?\\b([3-9]\\d{2})\\b(?![,\\d%])"
                    + "|\\b([3-9]\\d{2})\\s?\\+?\\s*(?:min(?:imum|\\.)?\\s+)?(?:(?:personal|guarantor|consumer)\\s+)?"
                    + "(?:fico|beacon|credit\\s+score)", FLAGS);
    /** The range scores are given in ("300-850"), not a minimum. */
    private static final Pattern SCORE_SCALE = Pattern.compile("\\b300\\s*(?:-|–|to)\\s*850\\b");
    /** "PayNet 670", "PayNet MasterScore: 660"; not the FICO that follows "650+ PayNet, 670+ FICO". */
    private static final Pattern PAYNET = Pattern.compile(
            "paynet(?:\\s+master\\s?score)?[^0-9\\n]{0,30}?\\b(\\d{3})\\b(?!\\s?\\+?\\s*(?:fico|beacon|credit))", FLAGS);
    /** "680+ PayNet". */
    private static final Pattern PAYNET_AFTER = Pattern.compile("\\b(\\d{3})\\s?\\+?\\s*paynet", FLAGS);
    private static final Pattern TIB_KEYWORD = Pattern.compile(
            "time\\s+in\\s+business|time\\s+(?:in\\s+(?:operation|industry|practice)|farming|operating)|\\btib\\b|in\\s+business|in\\s+operation|seasoning|under\\s+(?:its\\s+|their\\s+)?(?:current|same)\\s+ownership|"
                    + "operated\\s+(?:the|its|their)\\s+business|"
                    + "in\\s+practice|been\\s+(?:open|operating)|business\\s+age|business\\s+history|"
                    + "established|operating\\s+history|in\\s+existence", FLAGS);
    private static final Pattern REVENUE_KEYWORD = Pattern.compile(
            "annual\\s+(?:revenues?|sales)|revenues?|gross\\s+sales|annual\\s+gross|\\brev\\.?\\s*:|"
                    + "(?:annual|yearly)\\s+sales", FLAGS);
    private static final Pattern AMOUNT_KEYWORD = Pattern.compile(
            "\\b(?:transactions?|deals?|loans?|leases?|funding|fund|finance|financing|tickets?|amounts?|sizes?|requests?|orders?|"
                    + "(?:credit\\s+)?limits?|"
                    + "equipment\\s+cost)\\b|"
                    + "financ\\w+\\s+(?:up\\s+to|from)|transactions?\\s+(?:up\\s+to|from)|we\\s+(?:fund|finance)|"
                    + "deals?\\s+(?:up\\s+to|from)", FLAGS);
    private static final Pattern TERM = Pattern.compile(
            "(?:terms?|amortization|maturity|maturities|repayment|repaid)\\b[^\\n]{0,30}?(?:" + Normalizers.NUMBER + "\\s?(?:-|to)\\s?)?" + Normalizers.NUMBER
                    + "\\s?(months?|mos?|years?|yrs?)\\b|^()(\\d{2,3})\\s?(months?|mos?)\\s+max(?:imum)?\\b", FLAGS);
    private static final Pattern EQUIPMENT_AGE = Pattern.compile(
            "(?:equipment|collateral|asset|vehicle|unit|truck|trailer|tractor|machine(?:ry)?)s?[^\\n]{0,40}?(?:no\\s+older\\s+than|older\\s+than|less\\s+than|"
                    + "up\\s+to|age\\s*(?:limit)?\\s*:?\\s*(?:max(?:imum)?\\s*)?|maximum\\s+(?:of\\s+)?)\\s*"
                    + Normalizers.NUMBER + "\\s?(years?|yrs?)"
                    + "|(?:max(?:imum)?\\s+)?equipment\\s+age[^0-9\\n]{0,20}" + Normalizers.NUMBER + "\\s?(years?|yrs?)"
                    + "|" + Normalizers.NUMBER + "\\s?(years?|yrs?)\\s+(?:old\\s+)?or\\s+newer"
                    + "|(?:equipment|collateral)[^\\n]{0,40}?(?:exceed|more\\s+than|over)\\s+" + Normalizers.NUMBER
                    + "\\s?(years?|yrs?)\\s+(?:of\\s+age|old|in\\s+age)", FLAGS);
    private static final Pattern BANKRUPTCY = Pattern.compile(
            "(?:bankrupt\\w*|\\bbk\\b)[^\\n]{0,60}?" + Normalizers.NUMBER + "\\s?\\+?\\s?(years?|yrs?)", FLAGS);
    private static final Pattern DOWN_PAYMENT = Pattern.compile(
            "(\\d+(?:\\.\\d+)?)\\s?(?:%|percent)\\s+(?:down|downpayment|down\\s+payment|equity\\s+injection|advance)"
                    + "|(?:down\\s*payment|downpayment|equity\\s+injection)[^0-9\\n%]{0,30}(\\d+(?:\\.\\d+)?)\\s?(?:%|percent)"
                    // "The Applicant shall contribute not less than 10% of the Project Cost": an equity contribution.
                    + "|contribut\\w*\\s+(?:not\\s+less\\s+than\\s+|at\\s+least\\s+|a\\s+minimum\\s+of\\s+)?(\\d+(?:\\.\\d+)?)\\s?%"
                    + "\\s+of\\s+the\\s+(?:project|purchase|equipment|total|transaction)\\s+(?:cost|price|amount)",
            FLAGS);
    private static final Pattern NO_STARTUPS = Pattern.compile(
            "no\\s+start[\\s-]?ups?\\b|start[\\s-]?ups?\\b[^.]{0,60}?\\bnot\\s+(?:approved|eligible|accepted|considered|financed)|"
                    + "start[\\s-]?ups?(?:\\s+(?:businesses|companies|borrowers|applicants))?\\s+"
                    + "(?:are\\s+|is\\s+)?(?:not|ineligible|excluded|prohibited)|"
                    + "(?:not|no|never|unable\\s+to|cannot|can't|won't|don't)\\s+(?:\\w+\\s+){0,2}?"
                    + "(?:consider|accept|finance|fund|approve|take|do)\\w*\\s+(?:any\\s+)?start[\\s-]?ups?\\b|"
                    + "start[\\s-]?ups?\\s*:\\s*(?:no|not\\s+\\w+)\\b|"
                    + "(?:not|neither\\s+\\w+\\s+is|no\\s+\\w+\\s+is)\\s+(?:open|available)\\s+to\\s+start[\\s-]?ups?\\b", FLAGS);
    private static final Pattern STARTUPS_OK = Pattern.compile(
            "start[\\s-]?ups?\\b[^.;:\\n]{0,40}?\\b(?:considered|accepted|welcome|ok|allowed|eligible|reviewed|"
                    + "case[\\s-]by[\\s-]case)|"
                    + "(?:consider|accept|welcome|finance|fund)\\w*\\s+start[\\s-]?ups|start[\\s-]?ups?\\s*:\\s*yes|"
                    + "^new\\s+(?:practices?|businesses)(?:\\s+(?:ok|welcome|considered|accepted))?\\.?$", FLAGS);

    private static final Pattern EXCLUDED_INDUSTRIES = Pattern.compile(
            "^not\\s+(?:for|eligible)(?=\\s*:)|(?:we\\s+)?(?:can't|cannot|can\\s+not|will\\s+not|won't)\\s+(?:finance|fund|lend\\s+to)\\b|declined\\s+(?:industries|businesses)|^who\\s+we\\s+(?:do\\s+not|don't|won't)\\s+(?:serve|finance|fund)(?=\\s*:)|(?:do(?:es)?\\s+not|don't|doesn't|will\\s+not|cannot)\\s+(?:finance|fund|lend\\s+to|lease\\s+to)\\s+"
                    + "(?:businesses|companies|borrowers)\\s+in\\s+the\\s+following\\s+industries|(?:restricted|excluded|prohibited|ineligible|unacceptable|non[\\s-]?eligible)\\s+"
                    + "(?:industries|industry|businesses|business\\s+types|operations|activities|sectors|borrower\\s+types|sic(?:\\s*/\\s*naics)?|naics(?:\\s*/\\s*sic)?)"
                    + "(?:\\s+codes?)?|industry\\s+(?:restrictions|exclusions)|we\\s+(?:still\\s+|also\\s+|currently\\s+)?do\\s+not\\s+(?:lend\\s+to|finance|fund|"
                    + "work\\s+with|consider)|(?:no|not)\\s+(?:lending|financing)\\s+(?:to|for)|"
                    + "industries\\s+(?:not\\s+(?:financed|funded|eligible|accepted|considered)|excluded|restricted)|"
                    + "industries\\s+(?:that\\s+)?(?:are|is)\\s+(?:not\\s+(?:eligible|financed|funded|accepted|"
                    + "considered)|ineligible|excluded|restricted|prohibited)|"
                    + "industries\\s+(?:that\\s+)?we\\s+(?:will\\s+not|won't|do\\s+not|don't|cannot|can't|are\\s+unable\\s+to)"
                    + "\\s+\\w+|excluded\\s+(?:sic|naics)", FLAGS);
    private static final Pattern EXCLUDED_STATES = Pattern.compile(
            "not\\s+licensed\\s+[^.]{0,40}?\\bin\\b|(?:do\\s+not|don't|cannot|will\\s+not|won't|no\\s+longer)\\s+accept\\s+(?:applications|deals|business)\\s+from|"
                    + "not\\s+(?:available|avail\\.?|offered|lending)\\s+(?:to\\s+(?:businesses|borrowers|companies|lessees|applicants)\\s+)?"
                    + "(?:(?:located|domiciled|based|headquartered)\\s+)?in|(?:restricted|excluded|ineligible|prohibited)\\s+states?|"
                    + "(?:do(?:es)?\\s+not|don't|doesn't|cannot|can't|will\\s+not|won't|unable\\s+to|not\\s+able\\s+to)\\s+"
                    + "(?:\\w+\\s+){0,4}?in\\b|"
                    + "(?:all\\s+(?:50\\s+)?states|(?:every|any)\\s+state|nationwide|everywhere)\\s+(?:except|excluding|but)|"
                    + "(?:states?|geograph\\w*)\\s*(?:restrictions?|exclusions?|excluded|restricted)|"
                    + "(?:coverage|nationwide|national|all\\s+states|everywhere)[^.]{0,20}?\\b(?:excluding|except)\\b|"
                    + "^not\\s+eligible\\s*:.*?\\blocated\\s+in\\b|"
                    + "no\\s+(?:business|deals?|transactions?|loans?|leases?|funding|lending|financing)\\s+(?:(?:to|for)\\s+"
                    + "(?:businesses|companies|borrowers)\\s+)?(?:located\\s+)?in\\b|excluding\\s+(?:the\\s+)?states?", FLAGS);
    private static final Pattern ALLOWED_STATES = Pattern.compile(
            "only\\s+(?:available|offered|lending)\\s+in|(?:lends?|lending|finances?|funds?)\\s+only\\s+to\\s+[^.]{0,80}?\\bin\\b|available\\s+(?:only\\s+)?in|(?:eligible|approved|allowed)"
                    + "\\s+states?|(?:equipment|borrowers?|businesses|lessees?|collateral)\\s+(?:must\\s+be\\s+)?located\\s+in|(?:businesses|borrowers|lessees)\\s+in(?=\\s+[A-Z]{2}\\b[^.]*\\bonly\\b)|(?:eligible|approved|allowed)"
                    + "\\s+states?|we\\s+(?:only\\s+|currently\\s+|presently\\s+)?(?:lend|operate|fund|finance)\\s+(?:only\\s+)?in\\b|"
                    + "(?:lending|service|operating)\\s+(?:area|region|states)\\s*:|(?:footprint|territory)"
                    + "\\s*:|\\bonly\\b[^.:]{0,40}?\\b(?:located|domiciled|headquartered|based)\\s+in\\b", FLAGS);
    /** "Excluded: a, b, c" with no word saying what: industries, unless the items are states. */
    private static final Pattern BARE_EXCLUSION_LIST = Pattern.compile(
            "^(?:excluded|restricted|prohibited|ineligible|exclusions?)\\s*:", FLAGS);
    private static final Pattern ALL_STATES = Pattern.compile("all\\s+(?:50\\s+)?states|nationwide", FLAGS);
    private static final Pattern NO_STATES_PREFIX = Pattern.compile("^\\s*(?i:no|excluding)\\s+([A-Z]{2}\\b.*)$");
    private static final String AMOUNT_VALUE = "(\\$?\\s?\\d[\\d,.]*\\s?(?:(?:mm|million|m|k|thousand)(?![a-z]))?)";
    private static final Pattern AMOUNT_RANGE = Pattern.compile(AMOUNT_VALUE + "\\+?\\s*(?:-|to|through|and|up\\s+to)\\s*"
            + AMOUNT_VALUE + "(?![\\d%])", FLAGS);
    private static final Pattern MAXIMUM_WORDS = Pattern.compile(
            "(?:up\\s+to|[a-z]\\s+to|max(?:imum)?\\.?(?:\\s+[a-z]+){0,3}|not\\s+(?:to\\s+)?exceed\\w*|not?\\s+more\\s+than|as\\s+much\\s+as|"
                    + "limit(?:ed)?\\s+(?:of|to)|cap(?:ped)?\\s+at|under)\\s*(?:of|is|:)?\\s*$");
    /** A line that refuses the deals it names ("Deals under $5,000 are not accepted"). */
    private static final Pattern REFUSED = Pattern.compile("\\b(?:not\\s+(?:be\\s+)?(?:accepted|eligible|considered|"
            + "financed|funded)|ineligible|declined|we\\s+(?:do\\s+not|don't)\\s+(?:finance|fund|accept))\\b", FLAGS);
    /** Words of a fee, whose amounts say when it applies. */
    private static final Pattern FEE = Pattern.compile("\\b(?:fees?|surcharges?)\\b", FLAGS);
    private static final Pattern BELOW = Pattern.compile("(?:under|below|less\\s+than)\\s*$");
    private static final Pattern ABOVE = Pattern.compile("(?:over|above|more\\s+than|exceeding|greater\\s+than)\\s*$");
    private static final Pattern MINIMUM_WORDS = Pattern.compile(
            "(?:min(?:imum)?\\.?(?:\\s+[a-z]+){0,3}|at\\s+least|from|starting\\s+at|starts?\\s+at|not?\\s+less\\s+than|over|above)\\s*(?:of|is|:)?\\s*$");
    /** A line that states something for every program, wherever it stands ("All tiers: terms of …"). */
    private static final Pattern ALL_PROGRAMS = Pattern.compile(
            "^(?:all|every|each|both)\\s+(?:(?:credit\\s+)?(?:tiers?|grades?|levels?)|programs?|products?|transactions?|plans?|options?)\\b",
            FLAGS);
    /** A line that is only a maximum amount, as tier sheets write it ("Up to $500,000"). */
    private static final Pattern BARE_MAXIMUM = Pattern.compile("^(?:up\\s+to|max(?:imum)?\\.?)\\s+\\$", FLAGS);
    private static final Pattern EQUIPMENT_ALLOWED = Pattern.compile(
            "(?:eligible|acceptable|approved|preferred)\\s+(?:equipment|collateral)(?:\\s+types?)?|^collateral\\s*:|"
                    + "equipment\\s+types?"
                    + "(?:\\s+financed)?|collateral\\s+types?", FLAGS);
    private static final Pattern EQUIPMENT_EXCLUDED = Pattern.compile(
            "(?:restricted|excluded|ineligible|prohibited|unacceptable)\\s+(?:equipment|collateral)(?:\\s+types?)?|"
                    + "(?:no|not)\\s+(?:financing\\s+(?:for|of)\\s+)?(?:equipment|collateral)\\s*:|"
                    + "equipment\\s+(?:restrictions|exclusions)", FLAGS);

    /** A line as the rules read it (normalised, wrapped prose joined), with where it was read. */
    private record Line(String text, Evidence source, boolean heading) {

        Line(String text, Evidence source) {
            this(text, source, false);
        }
    }

    /** The lender-wide lists, each item with the line it was first read from. */
    private static final class LenderWide {
        final Map<String, Evidence> excludedIndustries = new LinkedHashMap<>();
        final Map<String, Evidence> excludedStates = new LinkedHashMap<>();
        final Map<String, Evidence> allowedStates = new LinkedHashMap<>();
        /** Equipment named in an exclusion list ("Excluded Industry / Equipment"): excluded by every program. */
        final Map<String, Evidence> excludedEquipment = new LinkedHashMap<>();

        void read(Line line) {
            Accumulator found = new Accumulator();
            readLenderWide(line.text(), found);
            int colon = line.text().indexOf(':');
            String title = colon > 0 ? line.text().substring(0, colon).trim() : "";
            boolean namesEquipment = EQUIPMENT_LIST.matcher(title).find() || NOT_FINANCED.matcher(title).matches();
            for (String item : found.excludedIndustries) {
                boolean equipment = namesEquipment && EQUIPMENT_ITEM.matcher(item).find()
                        && !INDUSTRY_ITEM.matcher(item).find();
                (equipment ? excludedEquipment : excludedIndustries).putIfAbsent(item, line.source());
            }
            found.excludedStates.forEach(item -> excludedStates.putIfAbsent(item, line.source()));
            found.allowedStates.forEach(item -> allowedStates.putIfAbsent(item, line.source()));
        }
    }

    /**
     * A list's title that says what is not financed without saying whether businesses or things: "We do not
     * finance". Equipment named in it ("Aircraft", "Vessels") is excluded equipment.
     */
    private static final Pattern NOT_FINANCED = Pattern.compile(
            "(?:what\\s+)?we\\s+(?:do\\s+not|don't|will\\s+not|won't|cannot|can't)\\s+(?:finance|fund|lease)|not\\s+financed",
            FLAGS);
    /** A title that says its list names what is not financed, or which businesses: "Excluded industries". */
    private static final Pattern NAMES_BUSINESSES = Pattern.compile(
            "\\b(?:industr\\w*|business\\w*|compan\\w*|borrowers?|trades?|sectors?|clients?|who)\\b", FLAGS);
    /** A list's heading that says it names equipment too: "Excluded Industry / Equipment". */
    private static final Pattern EQUIPMENT_LIST = Pattern.compile("\\b(?:equipment|collateral|assets?)\\b", FLAGS);
    /** An item of an exclusion list that names equipment, not a line of business. */
    private static final Pattern EQUIPMENT_ITEM = Pattern.compile(
            "\\b(?:atms?|vending|aircraft|airplanes?|helicopters?|signage|signs|boats?|vessels?|watercraft|software|"
                    + "furniture|fixtures|kiosks?|artwork|tanning\\s+beds?|slot\\s+machines?|gaming\\s+machines?|"
                    + "race\\s+cars?|limousines?|buses|leasehold\\s+improvements|equipment|machines|vehicles|trailers|"
                    + "tractors|trucks)\\b", FLAGS);
    /** Words that make such an item a line of business after all: "vending operators", "used vehicle dealers". */
    private static final Pattern INDUSTRY_ITEM = Pattern.compile(
            "\\b(?:dealers?|dealerships?|operators?|salons?|shops?|stores?|services?|contractors?|trucking|"
                    + "companies|businesses|manufacturers?|rental|repair|sales)\\b", FLAGS);

    /** The lists one line names. */
    private static final class Accumulator {
        final Set<String> excludedIndustries = new LinkedHashSet<>();
        final Set<String> excludedStates = new LinkedHashSet<>();
        final Set<String> allowedStates = new LinkedHashSet<>();
    }

    /**
     * The values of one scope, by JSON field name: the lender-wide defaults, a product section, or a program.
     * A program inherits what it does not set from its section and from the lender-wide defaults. A field
     * that two lines of the same scope give different values is left out ("conflicted"), never guessed.
     */
    private static final class Fields {
        final String name;
        final Fields parent;
        final Map<String, Object> values = new LinkedHashMap<>();
        final Map<String, Evidence> sources = new HashMap<>();
        final Set<String> conflicted = new HashSet<>();
        /** What the guideline states for this scope that the schema cannot hold, each with its line. */
        final Map<String, Evidence> conditions = new LinkedHashMap<>();
        /** The heading or table cell that names the program. */
        Evidence nameSource;
        /** A section whose tiers are its programs; its own values are their shared rules. */
        boolean hasTiers;
        /** A part of the page under a heading of its own: a program only if it competes with another part. */
        boolean provisional;
        /** A tier the page set as a heading. */
        boolean titledTier;

        Fields(String name, Fields parent) {
            this.name = name;
            this.parent = parent;
        }

        boolean has(String field) {
            return values.containsKey(field);
        }

        void put(String field, Object value) {
            if (value != null) {
                values.put(field, value);
            }
        }

        void putIfAbsent(String field, Object value) {
            if (value != null) {
                values.putIfAbsent(field, value);
            }
        }

        boolean isEmpty() {
            return values.isEmpty() && conflicted.isEmpty();
        }

        /** This scope's value, or the nearest enclosing scope's; a conflict here hides what encloses it. */
        Fields owner(String field) {
            for (Fields scope = this; scope != null; scope = scope.parent) {
                if (scope.values.containsKey(field)) {
                    return scope;
                }
                if (scope.conflicted.contains(field)) {
                    return null;
                }
            }
            return null;
        }

        /** The scope's conditions after those of the scopes it inherits from. */
        Map<String, Evidence> allConditions() {
            Map<String, Evidence> out = parent == null ? new LinkedHashMap<>() : parent.allConditions();
            conditions.forEach(out::putIfAbsent);
            return out;
        }

        Fields named(Evidence source) {
            nameSource = source;
            return this;
        }
    }

    /** A field left out because two lines gave it different values. */
    private record Conflict(Fields scope, String field, Object first, Evidence firstSource, Object second,
                            Evidence secondSource) {
    }

    /** The reading in progress: scopes, lists and what was left out. */
    private static final class Document {
        final LenderWide lenderWide = new LenderWide();
        final Fields defaults = new Fields(null, null);
        final List<Fields> programs = new ArrayList<>();
        final List<Conflict> conflicts = new ArrayList<>();
        /** Statements that change a value stated elsewhere ("Tier 2's minimum FICO rises from 650 to 670"). */
        final List<Line> changes = new ArrayList<>();
        final List<String> warnings = new ArrayList<>();

        /** Reads one line's values into a scope, leaving out a field that disagrees with what it holds. */
        void read(Line line, Fields scope) {
            Clauses clauses = Clauses.of(line.text());
            if (clauses.condition()) {
                scope.conditions.putIfAbsent(line.text().trim(), line.source());
            }
            Fields found = new Fields(scope.name, null);
            if (!clauses.firm().isBlank()) {
                readFields(clauses.firm(), found);
            }
            for (String conditional : clauses.conditional()) {
                // "Start-ups considered if the owner has 5 years in the industry": allowed, on that condition.
                if (STARTUPS_OK.matcher(conditional).find() && !NO_STARTUPS.matcher(conditional).find()) {
                    found.putIfAbsent("startups_allowed", true);
                }
            }
            for (Map.Entry<String, Object> value : found.values.entrySet()) {
                put(scope, value.getKey(), value.getValue(), line.source());
            }
        }

        /** Sets a scope's field, or leaves it out when the scope holds another value for it. */
        void put(Fields scope, String field, Object value, Evidence source) {
            if (scope.conflicted.contains(field)) {
                return;
            }
            Object held = scope.values.get(field);
            if (held == null) {
                scope.values.put(field, value);
                scope.sources.put(field, source);
            } else if (!held.equals(value)) {
                conflicts.add(new Conflict(scope, field, held, scope.sources.get(field), value, source));
                scope.values.remove(field);
                scope.sources.remove(field);
                scope.conflicted.add(field);
            }
        }

        /**
         * Parts of the page under headings of their own become programs when they compete (two of them set the
         * same field to different values: "Preferred" and "Core" scores); the others state lender-wide rules
         * ("Collateral", "Credit history") and are read into the defaults.
         */
        void settleParts() {
            List<Fields> parts = programs.stream().filter(p -> p.provisional && !p.hasTiers).toList();
            // A topic of the guide ("Collateral", "Submissions") is never a program of its own.
            List<Fields> candidates = parts.stream().filter(p -> !TOPIC_HEADING.matcher(p.name).find()).toList();
            Set<Fields> competing = new HashSet<>();
            for (Fields part : candidates) {
                for (Fields other : candidates) {
                    if (part != other && part.values.entrySet().stream().anyMatch(value ->
                            other.values.containsKey(value.getKey())
                                    && !other.values.get(value.getKey()).equals(value.getValue()))) {
                        competing.add(part);
                    }
                }
            }
            for (Fields part : candidates) {
                if (programs.stream().anyMatch(other -> other != part && !other.hasTiers
                        && ProgramTable.beside(part.nameSource, other.nameSource)
                        && part.values.keySet().stream().filter(other.values::containsKey).count() >= 2)) {
                    // Boxes set side by side under titles of their own, stating the same criteria ("Guaranteed"
                    // beside "Corporate only"), are programs of their own: their values never reach each other.
                    competing.add(part);
                }
            }
            for (Fields part : parts) {
                if (competing.contains(part)) {
                    part.provisional = false;
                    continue;
                }
                part.values.forEach((field, value) -> put(defaults, field, value, part.sources.get(field)));
                part.conflicted.forEach(field -> {
                    defaults.values.remove(field);
                    defaults.conflicted.add(field);
                });
                part.conditions.forEach(defaults.conditions::putIfAbsent);
                programs.remove(part);
            }
        }
    }

    public LenderCriteria extract(String documentText) {
        return read(documentText).criteria();
    }

    /** The criteria in a document's text (pages separated by form feeds), with evidence and warnings. */
    public CriteriaReading read(String documentText) {
        return read(GuidelineLine.ofText(documentText));
    }

    /** The criteria in a document's lines, each value with the line it was read from, and what was left out. */
    public CriteriaReading read(List<GuidelineLine> document) {
        List<Line> lines = lines(underTierHeadings(ProgramTable.wrappedLabelsJoined(document)));
        Document doc = new Document();
        Fields defaults = doc.defaults;
        List<Fields> programs = doc.programs;
        Fields current = defaults;
        Fields section = null;
        // The header of a table with one row per program, while its rows follow (headings may part them).
        List<String> rowHeader = null;
        // Tier headings in a row, each over at most its amount band: the columns of the rows that follow.
        List<Fields> columns = new ArrayList<>();
        boolean columnHeadings = false;
        boolean columnsInUse = false;
        // Under a heading that titles exclusions ("Excluded", "Who we cannot help"), a list of names is of them.
        boolean underExclusions = false;
        boolean exclusionsMayNameEquipment = false;
        // The question an FAQ heading asks, until its answer is read.
        String question = null;
        for (int i = 0; i < lines.size(); i++) {
            Interruption.check();
            Line line = lines.get(i);
            String text = line.text();
            List<String> row = cells(text);
            if (rowHeader != null) {
                // A header whose last column spans several ("Term (months)" over 24 | 36 | 48 | 60) has rows
                // longer than itself; their first cells still line up with it.
                List<String> lined = row.size() > rowHeader.size() ? row.subList(0, rowHeader.size() - 1) : row;
                List<String> labels = row.size() > rowHeader.size() ? rowHeader.subList(0, rowHeader.size() - 1)
                        : rowHeader;
                String corner = plainLabel(rowHeader.get(0));
                boolean numbered = lined.get(0).matches("[0-9A-Da-d][+-]?") && TIER_CORNER.matcher(corner).matches();
                NamedRow split = namedRow(lines, i, labels.size());
                if (split != null) {
                    lined = split.cells();
                    i = split.rowAt();
                    line = lines.get(i);
                }
                ProgramTable.Band band = lined.size() == labels.size() ? ProgramTable.band(lined.get(0)) : null;
                if (split != null || band != null || isProgramRow(lined, labels.size())
                        || numbered && lined.size() == labels.size()) {
                    // One row per program under a header of criteria: "Tier 1 | 700 | 675 | 3 yrs | …".
                    if (section == null && current.provisional) {
                        section = current;
                        section.provisional = false;
                    }
                    String name = numbered ? corner + " " + lined.get(0) : tidyName(lined.get(0));
                    Fields program = tableProgram(name, line.source(), section != null ? section : defaults, doc);
                    if (band != null) {
                        // A row per amount band ("$75,001 – $150K | 680 | …"): the band is the program's deal size.
                        Evidence bandSource = inColumn(line.source(), plainLabel(labels.get(0)));
                        doc.put(program, "min_amount", band.min(), bandSource);
                        doc.put(program, "max_amount", band.max(), bandSource);
                    }
                    if (split != null) {
                        Evidence rowSource = line.source();
                        split.subtitles().forEach(subtitle -> program.conditions.putIfAbsent(subtitle, rowSource));
                    }
                    for (int c = 1; c < lined.size(); c++) {
                        String value = lined.get(c).trim();
                        if (!EMPTY_CELL.matcher(value).matches()) {
                            doc.read(new Line(ProgramTable.statement(labels.get(c), value),
                                    inColumn(line.source(), plainLabel(labels.get(c)))), program);
                        }
                    }
                    current = program;
                    continue;
                }
                if (current != defaults && current != section && current.nameSource != null
                        && isNameLine(line) && Character.isLowerCase(text.charAt(0))) {
                    // A program's subtitle under its row ("trucks and trailers"): a condition of that program.
                    current.conditions.putIfAbsent(text, line.source());
                    continue;
                }
                if (row.size() >= 2 && row.stream().allMatch(cell -> cell.matches("\\d{1,3}"))) {
                    // The second line of a two-level header: "Term (months)" over "24 | 36 | 48 | 60".
                    continue;
                }
                if (!line.heading()) {
                    rowHeader = null;
                    // A part headed after the table ("Guaranteed" over its own rows) goes on reading its own.
                    current = section != null ? section : current.provisional ? current : defaults;
                }
            }
            if (QUOTATION.matcher(text).find()) {
                // A customer's words quoted with their name ("… in 48 hours." - Owner, bakery): a story, no rule.
                continue;
            }
            if (CHANGE.matcher(text).find()) {
                // A letter or memo changing the sheet it encloses: applied once every program is read.
                doc.changes.add(line);
                continue;
            }
            if (line.heading() && QUESTION.matcher(text).find()) {
                // A question of an FAQ is never a program: its answer speaks for the lender.
                question = text;
                current = defaults;
                section = null;
                underExclusions = false;
                continue;
            }
            if (question != null && !line.heading()) {
                String asked = question;
                question = null;
                if (readAnswer(asked, new Line(text.replaceFirst("^A[.:]\\s+", ""), line.source()), doc)) {
                    continue;
                }
            }
            if (isCriteriaHeader(row)) {
                rowHeader = row;
                continue;
            }
            if (row.size() >= 5 && row.stream().allMatch(cell -> MARKED_STATE.matcher(cell).matches())) {
                // A map of states as a grid of codes, those not served crossed: "AL | AK ✗ | AZ".
                for (String cell : row) {
                    Matcher state = MARKED_STATE.matcher(cell);
                    if (state.matches() && state.group(2) != null && UsStates.isCode(state.group(1))) {
                        doc.lenderWide.excludedStates.putIfAbsent(state.group(1), line.source());
                    }
                }
                continue;
            }
            if (columns.size() >= 2 && row.size() == columns.size() + 1 && isCriterionLabel(row.get(0))) {
                // A row under tier headings set as table columns ("App Only" over "$10,000 – $75,000", ...).
                for (int c = 0; c < columns.size(); c++) {
                    if (!EMPTY_CELL.matcher(row.get(c + 1)).matches()) {
                        doc.read(new Line(cellLine(row.get(0), row.get(c + 1)),
                                inColumn(line.source(), columns.get(c).name)), columns.get(c));
                    }
                }
                current = section != null ? section : defaults;
                columnsInUse = true;
                continue;
            }
            if (line.heading()) {
                underExclusions = EXCLUSION_TITLE.matcher(text).matches() || EXCLUDED_INDUSTRIES.matcher(text).find();
                // "We do not finance" over "Aircraft · Vessels": things, not businesses, unless it says businesses.
                exclusionsMayNameEquipment = underExclusions && NOT_FINANCED.matcher(text).find()
                        && !NAMES_BUSINESSES.matcher(text).find();
            }
            // "Tier C†": a footnote mark is not part of the heading
            Matcher heading = PROGRAM_HEADING.matcher(text.replaceFirst(TRAILING_MARKS, ""));
            String headingName = heading.matches() ? tidyName(heading.group(1)) : null;
            boolean tierHeading = headingName != null && TIER_NAME.matcher(headingName).find();
            boolean band = BAND.matcher(text).matches();
            if (columnsInUse || !band && !tierHeading) {
                columnHeadings = false;
            }
            if (!columnHeadings) {
                columns = new ArrayList<>();
                columnsInUse = false;
            }
            if (band && current != defaults) {
                readBand(text, current, line, doc);
                continue;
            }
            // A table of programs right under a heading of its own ("Core Equipment" over "Tier 1 | Tier 2"):
            // the heading is the section of the table's programs.
            Fields tableSection = section != null ? section : current.provisional ? current : defaults;
            int matrixEnd = readMatrix(lines, i, tableSection, doc);
            if (matrixEnd > i) {
                if (tableSection == current && section == null) {
                    section = current;
                    section.provisional = false;
                }
                // What follows a table of programs speaks for all of them until the next heading.
                current = section != null ? section : defaults;
                i = matrixEnd - 1;
                continue;
            }
            Matcher prose = PROSE_PROGRAM.matcher(text);
            if (prose.find()) {
                // "Our Preferred tier is …" under the heading "Preferred" goes on reading that part.
                if (current.name == null || !prose.group(1).equalsIgnoreCase(current.name)) {
                    current = new Fields(prose.group(1) + " " + prose.group(2), defaults).named(line.source());
                    section = null;
                    programs.add(current);
                }
                doc.read(line, current);
                doc.lenderWide.read(line);
                continue;
            }
            if (line.heading() && ALLOWED_EQUIPMENT_TITLE.matcher(text).matches()) {
                // "Eligible equipment" over names set in rows: the equipment every program here takes.
                doc.read(new Line(text + ": " + listAfter(lines, i, false), line.source()), section != null ? section : defaults);
                continue;
            }
            boolean general = GENERAL_HEADING.matcher(text).matches();
            if (!general && headingName != null && !hasValue(text) && !NO_STARTUPS.matcher(text).find()
                    && !STARTUPS_OK.matcher(text).find()) {
                String name = headingName;
                if (tierHeading && !line.heading() && current.titledTier && line.source().box() != null) {
                    // "Application only" in plain text under the heading "Level 1": what the tier asks for.
                    current.conditions.putIfAbsent(text, line.source());
                    continue;
                }
                if (tierHeading) {
                    if (current.provisional && section == null) {
                        section = current;
                        section.provisional = false;
                    }
                    Fields parent = section != null ? section : defaults;
                    if (section != null) {
                        section.hasTiers = true;
                    }
                    current = new Fields(qualified(section, name), parent).named(line.source());
                    current.titledTier = line.heading();
                    columns.add(current);
                    columnHeadings = true;
                } else if (section != null && section == current && sameProduct(section.name, name)) {
                    // "3 · Start-Up" over "Start-Up Program": the section's own heading again.
                    continue;
                } else {
                    current = new Fields(name, defaults).named(line.source());
                    section = current;
                    if (STARTUP_WORD.matcher(name).find()) {
                        doc.read(new Line("start-ups considered", line.source()), current);
                    }
                }
                programs.add(current);
                continue;
            }
            if (general) {
                current = defaults;
                section = null;
            } else if (line.heading() && !hasFigure(text) && !LIST_HEADING.matcher(text).matches()
                    && !LIST_OPENER.matcher(text).matches() && text.split("\\s+").length <= TITLE_WORDS) {
                if (PRODUCT_HEADING.matcher(text).find() && !TOPIC_HEADING.matcher(text).find()) {
                    // A product's heading ("START-UP", "Established business"): a program, or the section of
                    // the tiers that follow it.
                    section = new Fields(tidyName(text), defaults).named(line.source());
                    programs.add(section);
                    current = section;
                    Matcher qualifier = PARENTHESIS.matcher(text);
                    if (qualifier.find()) {
                        // "Established (2+ years)": the qualifier is the program's own rule.
                        doc.read(new Line(qualifier.group(1) + " in business", line.source()), section);
                    }
                    if (STARTUP_WORD.matcher(text).find()) {
                        doc.read(new Line("start-ups considered", line.source()), section);
                    }
                    continue;
                }
                // A heading of its own starts a part of the page with a scope of its own: the section of the
                // tiers under it ("MEDICAL, DENTAL & VETERINARY" over "Tier A"), a program when it competes with
                // another part ("Preferred" and "Core" both set a score), or else lender-wide (see assemble).
                section = null;
                current = new Fields(tidyName(text), defaults).named(line.source());
                current.provisional = true;
                programs.add(current);
                continue;
            }
            if (!programs.isEmpty() && ALL_PROGRAMS.matcher(text).find()) {
                current = section != null ? section : defaults;
            }
            boolean exclusions = LIST_HEADING.matcher(text).matches() || LIST_OPENER.matcher(text).matches()
                    || text.endsWith(":") && (LIST_HEADING.matcher(text).find() || LIST_OPENER.matcher(text).find());
            boolean opensList = text.endsWith(":") || exclusions;
            Line withList = opensList ? new Line(text.replaceFirst(":?$", ":") + " "
                    + listAfter(lines, i, exclusions), line.source()) : line;
            List<String> clauses = List.of(text.split(";\\s+"));
            if (clauses.size() >= 2 && clauses.stream().allMatch(clause -> programNamedAt(clause, programs) != null)) {
                // "B credits capped at $150,000; C credits capped at $50,000": each clause for its program.
                for (String clause : clauses) {
                    doc.read(new Line(clause, line.source()), programNamedAt(clause, programs));
                }
                continue;
            }
            if (exclusions && EXCLUDED_STARTUPS.matcher(withList.text()).find()) {
                // "Who we don't serve: cannabis, gaming, start-ups."
                doc.read(new Line("no start-ups", line.source()), defaults);
            }
            if (readLadder(line, defaults, doc)) {
                continue;
            }
            if (ALL_PROGRAMS_NOTE.matcher(text).find()) {
                // "Bankruptcy in the last 5 years (all levels and start-ups)": the note says whom it binds.
                doc.read(line, section != null && section.hasTiers ? section : defaults);
                doc.lenderWide.read(line);
                continue;
            }
            Fields named = programNamedAt(text, programs);
            doc.read(withList, ALL_PROGRAMS.matcher(text).find() ? current : named != null ? named : current);
            String names = namesIn(line);
            doc.lenderWide.read(underExclusions && isListOfNames(names)
                    ? new Line((exclusionsMayNameEquipment ? "Excluded industries/equipment: " : "Excluded industries: ")
                    + names, line.source()) : withList);
        }
        return assemble(doc);
    }

    /** A quotation with its speaker: "“Funded in 48 hours …” - Owner, Fresno bakery". */
    private static final Pattern QUOTATION = Pattern.compile("^[\"“][^\"”]{10,}[\"”]\\s*-\\s*\\S");
    /** A heading over the equipment a lender finances: "Eligible equipment", "Equipment we finance". */
    private static final Pattern ALLOWED_EQUIPMENT_TITLE = Pattern.compile(
            "(?:eligible|acceptable|approved|preferred|financed)\\s+(?:equipment|collateral)(?:\\s+types)?|"
                    + "(?:equipment|collateral)\\s+(?:we\\s+(?:finance|fund|lease)|types\\s+financed)|what\\s+we\\s+finance",
            FLAGS);
    private static final Pattern QUESTION = Pattern.compile("\\?\\s*$");
    /** An answer that says no: "Not at this time.", "No.", "Unfortunately not." */
    private static final Pattern NO_ANSWER = Pattern.compile(
            "^(?:no\\b|not\\s+(?:at\\s+(?:this|the\\s+moment|present)|currently|yet|now|at\\s+all)\\b|unfortunately|"
                    + "we\\s+(?:do\\s+not|don't|cannot|can't|won't)\\b)", FLAGS);
    private static final Pattern YES_ANSWER = Pattern.compile("^yes\\b", FLAGS);
    /** A question after the businesses that cannot apply: "Which businesses can't apply?" */
    private static final Pattern EXCLUSION_QUESTION = Pattern.compile(
            "\\b(?:businesses|industries|industry|companies|trades)\\b.*\\b(?:can't|cannot|can\\s+not|don't|do\\s+not|won't|"
                    + "will\\s+not|not)\\b.*\\b(?:apply|finance|fund|help|serve|lend|eligible|work)|\\b(?:ineligible|excluded|"
                    + "restricted)\\s+(?:businesses|industries)", FLAGS);
    /** A parenthesis saying a rule binds every program: "(all levels and start-ups)", "(for all tiers)". */
    private static final Pattern ALL_PROGRAMS_NOTE = Pattern.compile(
            "\\((?:for\\s+|on\\s+)?(?:all|every|both)\\s+(?:tiers?|levels?|programs?|products?|grades?|plans?)\\b[^)]*\\)", FLAGS);

    /**
     * An FAQ answer that needs its question to be understood: "Can start-ups apply?" answered "Not at this time.",
     * "Which businesses can't apply?" answered with a list of names. Returns false when the answer is read as it
     * stands.
     */
    private static boolean readAnswer(String question, Line answer, Document doc) {
        String text = answer.text();
        if (STARTUP_WORD.matcher(question).find() && (NO_ANSWER.matcher(text).find() || YES_ANSWER.matcher(text).find())) {
            boolean no = NO_ANSWER.matcher(text).find();
            doc.read(new Line(no ? "no start-ups" : "start-ups considered", answer.source()), doc.defaults);
            return true;
        }
        if (EXCLUSION_QUESTION.matcher(question).find() && !text.matches(".*\\d.*")) {
            doc.lenderWide.read(new Line("Excluded industries: " + text, answer.source()));
            return true;
        }
        return false;
    }

    /** A line that is only an amount band: "$10,000 - $75,000", "$150,001+", "Up to $1MM". */
    private static final Pattern BAND = Pattern.compile(
            "(?:up\\s+to\\s+|over\\s+|above\\s+)?\\$\\s?[\\d,.]+\\s?(?:k|mm|m|million)?\\+?"
                    + "(?:\\s*(?:-|to)\\s*\\$?\\s?[\\d,.]+\\s?(?:k|mm|m|million)?)?", FLAGS);

    /** An amount band under a program's heading: its smallest and largest deal. */
    private static void readBand(String text, Fields program, Line line, Document doc) {
        doc.read(new Line("Transaction size " + text, line.source()), program);
    }

    private static final String LADDER_MONEY = "\\$\\s?\\d[\\d,.]*\\s?(?:k|mm|m)?";
    /** One step of time in business rising with the amount: "three (3) years from $35,001 to $60,000". */
    private static final Pattern LADDER_STEP = Pattern.compile(Normalizers.NUMBER + "(?:\\s*\\(\\d+\\))?\\s?\\+?\\s?"
            + "(years?|yrs?|months?|mos?)\\s+(?:(?:in\\s+business|tib)\\s+)?(?:(?:up\\s+to|to|under|below|through)\\s+("
            + LADDER_MONEY + ")|from\\s+(" + LADDER_MONEY + ")\\s+(?:to|through|-)\\s+(" + LADDER_MONEY + ")|(?:over|above)\\s+("
            + LADDER_MONEY + "))", FLAGS);

    /**
     * Time in business that rises with the amount ("two years up to $35,000, three years from $35,001 to
     * $60,000, four years from $60,001 to $100,000"): one program per amount band, each with its minimum time
     * in business. Returns false when the line is no such ladder.
     */
    private static boolean readLadder(Line line, Fields defaults, Document doc) {
        Matcher step = LADDER_STEP.matcher(line.text());
        List<Fields> bands = new ArrayList<>();
        while (step.find()) {
            Integer months = Normalizers.months(step.group(1) + " " + step.group(2));
            String band;
            String amounts;
            if (step.group(3) != null) {
                band = "Up to " + step.group(3);
                amounts = "Transactions up to " + step.group(3);
            } else if (step.group(4) != null) {
                band = step.group(4) + " to " + step.group(5);
                amounts = "Transactions from " + step.group(4) + " to " + step.group(5);
            } else {
                band = "Over " + step.group(6);
                amounts = "Transactions over " + step.group(6);
            }
            if (months == null) {
                return false;
            }
            Fields program = new Fields(band, defaults).named(line.source());
            program.put("min_time_in_business_months", months);
            program.sources.put("min_time_in_business_months", line.source());
            doc.read(new Line(amounts, line.source()), program);
            bands.add(program);
        }
        if (bands.size() < 2) {
            return false;
        }
        doc.programs.addAll(bands);
        return true;
    }

    /** How far a column's lines may stand left of its heading, and the space between lines that ends a column. */
    private static final double COLUMN_SLACK = 8;
    private static final double HEADING_ROW = 4;

    /**
     * Tier headings set side by side ("Level 1 | Level 2 | Level 3" over an arrow ladder) with each tier's
     * requirements in a column under its heading: the lines in reading order heading by heading, each heading's
     * column after it, wherever the page put them in its text. A line that spans two columns ends them.
     */
    static List<GuidelineLine> underTierHeadings(List<GuidelineLine> document) {
        List<GuidelineLine> out = new ArrayList<>(document);
        Map<Integer, List<GuidelineLine>> headingsByPage = new LinkedHashMap<>();
        for (GuidelineLine line : document) {
            Matcher heading = PROGRAM_HEADING.matcher(line.text().strip());
            if (line.heading() && line.box() != null && heading.matches()
                    && TIER_NAME.matcher(tidyName(heading.group(1))).find()) {
                headingsByPage.computeIfAbsent(line.page(), p -> new ArrayList<>()).add(line);
            }
        }
        for (List<GuidelineLine> headings : headingsByPage.values()) {
            for (GuidelineLine first : headings) {
                List<GuidelineLine> row = headings.stream()
                        .filter(h -> Math.abs(h.box()[1] - first.box()[1]) <= HEADING_ROW)
                        .sorted(java.util.Comparator.comparingDouble(h -> h.box()[0])).toList();
                if (row.size() < 2 || row.get(0) != first) {
                    continue;
                }
                List<List<GuidelineLine>> columns = new ArrayList<>();
                for (int c = 0; c < row.size(); c++) {
                    double left = row.get(c).box()[0] - COLUMN_SLACK;
                    double right = c + 1 < row.size() ? row.get(c + 1).box()[0] - COLUMN_SLACK : Double.MAX_VALUE;
                    columns.add(column(document, row.get(c), left, right));
                }
                if (columns.stream().anyMatch(List::isEmpty)) {
                    continue;
                }
                List<GuidelineLine> ordered = new ArrayList<>();
                for (int c = 0; c < row.size(); c++) {
                    ordered.add(row.get(c));
                    ordered.addAll(columns.get(c));
                }
                int at = ordered.stream().mapToInt(out::indexOf).min().orElseThrow();
                out.removeAll(ordered);
                out.addAll(Math.min(at, out.size()), ordered);
            }
        }
        return out;
    }

    /** The lines under a heading between two x positions, top down, until a gap or a line that leaves the column. */
    private static List<GuidelineLine> column(List<GuidelineLine> document, GuidelineLine heading, double left,
                                              double right) {
        List<GuidelineLine> below = document.stream()
                .filter(l -> l != heading && l.page() == heading.page() && l.box() != null && l.box()[1] > heading.box()[1] + 1)
                .sorted(java.util.Comparator.comparingDouble(l -> l.box()[1])).toList();
        List<GuidelineLine> out = new ArrayList<>();
        double[] last = heading.box();
        for (GuidelineLine line : below) {
            double[] box = line.box();
            boolean overlaps = box[0] < right && box[2] > left;
            if (!overlaps) {
                continue;
            }
            boolean inside = box[0] >= left && box[2] <= right;
            boolean titled = line.heading() && !BAND.matcher(line.text().strip()).matches();
            if (!inside || titled || box[1] - last[3] > 1.5 * (last[3] - last[1])) {
                break;
            }
            out.add(line);
            last = box;
        }
        return out;
    }

    /** A title names a part in a few words; a longer heading describes the guide ("Equipment finance for …"). */
    private static final int TITLE_WORDS = 6;

    /** Whether two headings name the same product: "Start-Up" and "Start-Up Program". */
    private static boolean sameProduct(String a, String b) {
        // the lender-wide part (a table of tiers at the top of the page) has no name
        return a != null && b != null && productWords(a).equals(productWords(b));
    }

    private static String productWords(String name) {
        return name.toLowerCase(Locale.ROOT).replaceAll("\\b(?:programs?|products?|the|our)\\b|[^a-z0-9]", "");
    }

    /** A heading that titles a list of exclusions, with or without saying of what. */
    private static final Pattern EXCLUSION_TITLE = Pattern.compile(
            "(?:excluded|exclusions|ineligible|not\\s+eligible|prohibited|who\\s+we\\s+(?:cannot|can't|can\\s+not|don't|do\\s+not|"
                    + "won't|will\\s+not)\\s+(?:help|serve|finance|fund)|what\\s+we\\s+(?:don't|do\\s+not|won't|will\\s+not)\\s+"
                    + "(?:finance|fund))(?:\\s+(?:industries|businesses|list))?\\s*:?", FLAGS);
    private static final Pattern LIST_SEPARATOR = Pattern.compile("\\s*[·;,•|]\\s*");

    /** A line's text, or a table row's cells as a list of names without their marks ("✖Firearms | ✖Gambling"). */
    private static String namesIn(Line line) {
        if (!line.source().text().contains(" | ")) {
            return line.text();
        }
        List<String> cells = new ArrayList<>();
        for (String cell : line.source().text().split("\\s*\\|\\s*")) {
            cells.add(cell.replaceFirst("^[^\\p{L}]+", "").trim());
        }
        return String.join(", ", cells);
    }

    /** Names set as a list ("Cannabis · Adult entertainment · Gambling"): no figures, no label, short items. */
    private static boolean isListOfNames(String text) {
        if (text.matches(".*[\\d:?].*")) {
            return false;
        }
        String[] items = LIST_SEPARATOR.split(text.replaceAll("\\([^)]*\\)", "").replaceAll("\\.$", ""));
        return items.length >= 2 && java.util.Arrays.stream(items).allMatch(item -> item.split("\\s+").length <= 4);
    }

    /** A program's name with its section's: "Medical – Tier B". */
    private static String qualified(Fields section, String tier) {
        return section == null ? tier : section.name + " – " + tier;
    }

    private static CriteriaReading assemble(Document doc) {
        doc.settleParts();
        List<Fields> programs = new ArrayList<>(doc.programs);
        programs.removeIf(program -> program.hasTiers);
        programs.removeIf(program -> program.isEmpty() && programs.size() > 1
                && programs.stream().anyMatch(p -> !p.isEmpty()));
        if (programs.isEmpty()) {
            programs.add(new Fields("Standard", doc.defaults));
        }
        doc.changes.forEach(change -> applyChange(change, programs, doc));
        Map<String, Evidence> evidence = new LinkedHashMap<>();
        List<Program> result = new ArrayList<>();
        for (int p = 0; p < programs.size(); p++) {
            Fields program = programs.get(p);
            String at = "programs[" + p + "].";
            if (program.nameSource != null) {
                evidence.put(at + "name", program.nameSource);
            }
            Map<String, Object> values = new LinkedHashMap<>();
            for (String field : PROGRAM_FIELDS) {
                Fields owner = program.owner(field);
                if (owner != null) {
                    values.put(field, owner.values.get(field));
                    putEvidence(evidence, at + field, owner.values.get(field), owner.sources.get(field));
                }
            }
            if (!doc.lenderWide.excludedEquipment.isEmpty()) {
                @SuppressWarnings("unchecked")
                List<String> own = (List<String>) values.get("excluded_equipment_types");
                List<String> excluded = new ArrayList<>(own == null ? List.of() : own);
                doc.lenderWide.excludedEquipment.forEach((item, source) -> {
                    if (!excluded.contains(item)) {
                        evidence.put(at + "excluded_equipment_types[" + excluded.size() + "]", source);
                        excluded.add(item);
                    }
                });
                values.put("excluded_equipment_types", List.copyOf(excluded));
            }
            Map<String, Evidence> conditions = program.allConditions();
            List<String> stated = new ArrayList<>(conditions.keySet());
            for (int c = 0; c < stated.size(); c++) {
                evidence.put(at + "conditions[" + c + "]", conditions.get(stated.get(c)));
            }
            values.put("conditions", stated.isEmpty() ? null : stated);
            result.add(toProgram(program.name, values));
        }
        List<String> warnings = new ArrayList<>(doc.warnings);
        for (Conflict conflict : doc.conflicts) {
            warnings.add(scopeName(conflict.scope()) + conflict.field() + " left out: read as " + conflict.first()
                    + " on page " + conflict.firstSource().page() + " (\"" + conflict.firstSource().text()
                    + "\") and as " + conflict.second() + " on page " + conflict.secondSource().page() + " (\""
                    + conflict.secondSource().text() + "\"); a person must say which applies");
        }
        LenderCriteria criteria = new LenderCriteria(result,
                listWithEvidence("excluded_industries", doc.lenderWide.excludedIndustries, evidence),
                listWithEvidence("excluded_states", doc.lenderWide.excludedStates, evidence),
                listWithEvidence("allowed_states", doc.lenderWide.allowedStates, evidence));
        return new CriteriaReading(criteria, evidence, warnings);
    }

    private static final String CHANGED_VALUE = "(\\$?\\d[\\d,.]*\\s?(?:k|mm|m|million)?\\+?\\s?(?:%|years?|yrs?|months?|mos?)?)";
    /** "rises from 650 to 670", "increases from $300,000 to $400,000", "is now 660". */
    private static final Pattern CHANGE = Pattern.compile(
            "\\b(?:(?:rises?|increases?|decreases?|drops?|falls?|goes|moves?|changes?|(?:is|are)\\s+(?:raised|lowered|reduced|increased|"
                    + "decreased|changed))\\s+from\\s+" + CHANGED_VALUE + "\\s+to\\s+" + CHANGED_VALUE
                    + "|(?:is|are)\\s+now\\s+" + CHANGED_VALUE + "(?=\\s*(?:[.,;]|$)))", FLAGS);

    /**
     * A change a letter makes to a value of its enclosure: the programs it names (all when it names none) take the
     * new value. The field is the one holding the old value ("from 650"), or else the one the sentence names; when
     * neither settles it, the change is not applied and a warning says so.
     */
    private static void applyChange(Line change, List<Fields> programs, Document doc) {
        Matcher m = CHANGE.matcher(change.text());
        m.find();
        String before = m.group(1);
        String after = m.group(1) != null ? m.group(2) : m.group(3);
        List<Fields> named = programs.stream().filter(p -> names(change.text(), p)).toList();
        String statement = change.text().substring(0, m.start()) + ": " + after;
        for (Fields program : named.isEmpty() ? programs : named) {
            statement = statement.replaceAll("(?i)\\b" + Pattern.quote(program.name) + "\\b", " ")
                    .replaceAll("(?i)\\b" + Pattern.quote(tierOf(program.name)) + "\\b", " ");
        }
        Fields stated = new Fields(null, null);
        readFields(statement, stated);
        boolean applied = false;
        for (Fields program : named.isEmpty() ? programs : named) {
            // "is now 660" sets what the sentence names; "from 650 to 670" changes the one field that held 650
            Map<String, Object> changed = new LinkedHashMap<>();
            if (before == null) {
                changed.putAll(stated.values);
            } else {
                List<String> holding = new ArrayList<>();
                for (String field : PROGRAM_FIELDS) {
                    Fields owner = program.owner(field);
                    if (owner != null && sameFigure(owner.values.get(field), before)) {
                        holding.add(field);
                    }
                }
                if (holding.size() != 1) {
                    holding.retainAll(stated.values.keySet());
                }
                if (holding.size() == 1) {
                    changed.put(holding.get(0), figureOf(holding.get(0), after));
                }
            }
            for (Map.Entry<String, Object> field : changed.entrySet()) {
                if (field.getValue() != null) {
                    program.values.put(field.getKey(), field.getValue());
                    program.sources.put(field.getKey(), change.source());
                    program.conflicted.remove(field.getKey());
                    applied = true;
                }
            }
        }
        if (!applied) {
            doc.warnings.add("a change on page " + change.source().page() + " (\"" + change.source().text()
                    + "\") was not applied: it does not say clearly which value it changes; a person must apply it");
        }
    }

    /** The tier's part of a program's name: "Tier B" of "Medical – Tier B". */
    private static String tierOf(String name) {
        int dash = name.lastIndexOf(" – ");
        return (dash < 0 ? name : name.substring(dash + " – ".length())).trim();
    }

    /** Whether a sentence names the program, by its whole name or its tier's. */
    private static boolean names(String text, Fields program) {
        return program.name != null && Pattern.compile("(?i)\\b" + Pattern.quote(tierOf(program.name)) + "\\b(?![\\d.])")
                .matcher(text).find();
    }

    /** Whether a value read equals a figure as a letter writes it: "650", "$300,000", "3 years". */
    private static boolean sameFigure(Object value, String figure) {
        if (!(value instanceof Number number)) {
            return false;
        }
        Long money = Normalizers.money(figure);
        Integer months = Normalizers.months(figure);
        Double plain = Normalizers.number(figure.replaceAll("[^\\d.]", ""));
        Integer years = Normalizers.years(figure);
        double v = number.doubleValue();
        return money != null && money == v || months != null && months == v
                || months == null && plain != null && plain == v || years != null && years == v;
    }

    /** A letter's new figure in the unit of the field it changes. */
    private static Object figureOf(String field, String figure) {
        String digits = figure.replaceAll("[^\\d.]", "");
        Double plain = digits.isEmpty() ? null : Normalizers.number(digits);
        return switch (field) {
            case "min_amount", "max_amount", "min_annual_revenue" -> Normalizers.money(figure);
            case "min_time_in_business_months", "max_term_months" -> Normalizers.months(figure) != null
                    ? Normalizers.months(figure) : plain == null ? null : (Object) (int) Math.round(plain);
            case "min_down_payment_pct" -> plain;
            case "min_fico", "min_paynet", "max_equipment_age_years", "bankruptcy_lookback_years" ->
                    plain == null ? null : (Object) (int) Math.round(plain);
            default -> null;
        };
    }

    /** A value's evidence at its path; a list's items each at their own path. */
    private static void putEvidence(Map<String, Evidence> evidence, String path, Object value, Evidence source) {
        if (value instanceof List<?> items) {
            for (int i = 0; i < items.size(); i++) {
                evidence.put(path + "[" + i + "]", source);
            }
        } else {
            evidence.put(path, source);
        }
    }

    private static String scopeName(Fields scope) {
        return scope.name == null ? "" : scope.name + ": ";
    }

    /** The fields of a program in the order of the JSON schema. */
    private static final List<String> PROGRAM_FIELDS = List.of("min_fico", "min_time_in_business_months",
            "min_annual_revenue", "min_amount", "max_amount", "max_term_months", "min_paynet",
            "max_equipment_age_years", "allowed_equipment_types", "excluded_equipment_types", "startups_allowed",
            "bankruptcy_lookback_years", "min_down_payment_pct");

    @SuppressWarnings("unchecked")
    private static Program toProgram(String name, Map<String, Object> v) {
        return new Program(name, (Integer) v.get("min_fico"), (Integer) v.get("min_time_in_business_months"),
                (Long) v.get("min_annual_revenue"), (Long) v.get("min_amount"), (Long) v.get("max_amount"),
                (Integer) v.get("max_term_months"), (Integer) v.get("min_paynet"),
                (Integer) v.get("max_equipment_age_years"), (List<String>) v.get("allowed_equipment_types"),
                (List<String>) v.get("excluded_equipment_types"), (Boolean) v.get("startups_allowed"),
                (Integer) v.get("bankruptcy_lookback_years"), (Double) v.get("min_down_payment_pct"),
                (List<String>) v.get("conditions"));
    }

    private static List<String> listWithEvidence(String field, Map<String, Evidence> items, Map<String, Evidence> evidence) {
        if (items.isEmpty()) {
            return null;
        }
        List<String> out = new ArrayList<>(items.keySet());
        for (int i = 0; i < out.size(); i++) {
            evidence.put(field + "[" + i + "]", items.get(out.get(i)));
        }
        return out;
    }

    static List<String> lines(String text) {
        return lines(GuidelineLine.ofText(text)).stream().map(Line::text).toList();
    }

    /**
     * Lines with table separators, bullets and dashes made plain. Prose that the PDF wrapped over several
     * lines is joined again and cut into sentences, so a sentence is read whole wherever it was wrapped.
     * Each line keeps the page, text and box it was read from.
     */
    private static List<Line> lines(List<GuidelineLine> document) {
        long capitals = document.stream().filter(line -> CAPITALS_HEADING.matcher(line.text().strip()).matches()).count();
        long written = document.stream().filter(line -> !line.text().isBlank()).count();
        // A page typed in capitals throughout (an old form, a fax) has no headings to tell by their capitals.
        boolean capitalsMarkHeadings = capitals * 4 < written;
        List<Line> raw = new ArrayList<>();
        int page = 0;
        int number = 0;
        for (GuidelineLine line : document) {
            number = line.page() == page ? number + 1 : 1;
            page = line.page();
            boolean heading = line.heading()
                    || capitalsMarkHeadings && CAPITALS_HEADING.matcher(line.text().strip()).matches();
            Interruption.check();
            List<String> parts = new ArrayList<>();
            for (String piece : bounded(line.text()).split("\n")) {
                parts.addAll(statements(piece));
            }
            for (String part : parts) {
                Evidence source = new Evidence(Evidence.DOCUMENT, line.page(), part.strip(), "line " + number,
                        line.box() == null ? null : java.util.Arrays.stream(line.box()).boxed().toList());
                raw.add(new Line(plain(part), source, heading));
            }
        }
        List<Line> out = new ArrayList<>();
        for (Line sentence : sentences(raw)) {
            String line = sentence.text().replaceAll("\\s*\\|\\s*", ": ").replaceAll("^[\\s*\\-•·o]+(?=\\S)", "")
                    .replaceAll("(\\S)\\s{3,}(\\S)", "$1: $2").replaceAll("\\s+", " ").trim();
            if (line.startsWith(": ")) {
                line = line.substring(2);
            }
            if (line.endsWith(":") && line.length() > 1 && line.substring(0, line.length() - 1).endsWith(": ")) {
                line = line.substring(0, line.length() - 2).trim();
            }
            if (!line.isEmpty()) {
                out.add(new Line(line, sentence.source(), sentence.heading()));
            }
        }
        return labelsJoinedToValues(out);
    }

    /** A line is cut at a space to at most this length, and wrapped prose is joined up to it. */
    private static final int LONGEST_LINE = 1000;
    private static final Pattern OVERLONG_WORD = Pattern.compile("\\S{64}(?=\\S)");
    private static final Pattern WIDE_GAP = Pattern.compile("[ \\t]{32,}");

    /**
     * The line with no word over 64 characters, no gap over 32 spaces, and cut into lines of at most
     * LONGEST_LINE: the patterns try every start in a run of digits, spaces or dots, so their cost grows with the
     * square of the longest run or line (a line of 200,000 digits took tens of minutes). Guidelines have no such
     * runs.
     */
    private static String bounded(String line) {
        String spaced = WIDE_GAP.matcher(OVERLONG_WORD.matcher(line).replaceAll("$0 ")).replaceAll(" ".repeat(32));
        if (spaced.length() <= LONGEST_LINE) {
            return spaced;
        }
        StringBuilder out = new StringBuilder(spaced.length() + spaced.length() / LONGEST_LINE);
        int lineStart = 0;
        for (int i = 0; i < spaced.length(); i++) {
            if (out.length() - lineStart >= LONGEST_LINE) {
                int space = out.lastIndexOf(" ");
                if (space > lineStart) {
                    out.setCharAt(space, '\n');
                    lineStart = space + 1;
                } else {
                    out.append('\n');
                    lineStart = out.length();
                }
            }
            out.append(spaced.charAt(i));
        }
        return out.toString();
    }

    /** A row of boxes each holding its own "Label: value" statement is read box by box. */
    private static List<String> statements(String text) {
        String[] cells = text.split("\\s+\\|\\s+");
        if (cells.length >= 2 && (java.util.Arrays.stream(cells).allMatch(cell -> STATEMENT.matcher(cell).matches())
                || java.util.Arrays.stream(cells).allMatch(cell -> BULLETED.matcher(cell).matches()))) {
            return List.of(cells);
        }
        return List.of(text);
    }

    /** A box's item set with its own bullet: "▸ Minimum request $10,000". */
    private static final Pattern BULLETED = Pattern.compile("^[▸•▪■●◦‣►➤✓✔*-]\\s*\\S.*");
    private static final Pattern STATEMENT = Pattern.compile("[A-Za-z][^:|]{1,40}:\\s*\\S.*");

    /** One line with dashes, bullets, dot leaders, wide gaps and table bars made plain. */
    private static String plain(String text) {
        return Normalizers.figuresForWords(text).replace('\u2013', '-').replace('\u2014', '-').replace('\u2212', '-')
                .replace('\u00a0', ' ').replace('\t', ' ').replace("\u2022", " ").replace("\u25cf", " ")
                .replaceAll("(\\d%?)[*\u2020\u2021]+", "$1")
                .replaceAll("[ ]*(?:\\.[ ]?){4,}[ ]*", ": ").replaceAll("(\\S)[ ]{3,}(?=\\S)", "$1: ")
                .replaceAll("(\\S)[ ]*\\|[ ]*(?=\\S)", "$1: ");
    }

    /** Two quotes read as one line: the first's page, both texts, and both boxes when on the same page. */
    private static Evidence joined(Evidence first, Evidence second) {
        List<Double> box = null;
        List<Double> a = first.box();
        List<Double> b = second.box();
        if (a != null && b != null && first.page().equals(second.page())) {
            box = List.of(Math.min(a.get(0), b.get(0)), Math.min(a.get(1), b.get(1)), Math.max(a.get(2), b.get(2)),
                    Math.max(a.get(3), b.get(3)));
        }
        return new Evidence(Evidence.DOCUMENT, first.page(), first.text() + " " + second.text(), first.locator(), box);
    }

    /** A table cell's evidence: its row's, with the column it stands in. */
    private static Evidence inColumn(Evidence row, String column) {
        return new Evidence(row.source(), row.page(), row.text(), row.locator() + ", column '" + column + "'",
                row.box());
    }

    /** A figure alone on a line: "660", "2 yrs", "20%", "$150K". */
    private static final Pattern BARE_FIGURE = Pattern.compile(
            "\\$?\\d[\\d,]*(?:\\.\\d+)?\\s?(?:%|\\+|k|mm|m|yrs?|years?|mos?|months?)?\\+?", FLAGS);
    /** A short caption under such a figure: "MIN. FICO", "IN BUSINESS", "MONTHS MAX", "DOWN". */
    private static final Pattern FIGURE_CAPTION = Pattern.compile("[a-z][a-z. ]{1,30}", FLAGS);

    /** A criterion's name alone on a line, as layouts with the label above its value write it. */
    private static final Pattern BARE_LABEL = Pattern.compile(
            "(?:min(?:imum)?\\.?\\s+|max(?:imum)?\\.?\\s+|restricted\\s+|excluded\\s+|ineligible\\s+|eligible\\s+)?"
                    + "(?:fico|beacon|credit(?:\\s+score)?|personal\\s+credit|time\\s+in\\s+business|tib|years\\s+in\\s+business|"
                    + "(?:transaction|deal|loan|lease)?\\s*(?:amounts?|size)|terms?|revenue|annual\\s+revenue|paynet|"
                    + "bankruptc(?:y|ies)|down\\s+payment|equipment(?:\\s+age)?|start[\\s-]?ups?|industries|states)"
                    + "(?:\\s*\\([^)]*\\))?", FLAGS);

    /**
     * "FICO" over "660 minimum", "Restricted States" over "California": a label alone on its line is joined to
     * the value on the next line when that line holds no label of its own.
     */
    private static List<Line> labelsJoinedToValues(List<Line> lines) {
        List<Line> out = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            Line line = lines.get(i);
            if (i + 1 < lines.size() && BARE_FIGURE.matcher(line.text()).matches()
                    && FIGURE_CAPTION.matcher(lines.get(i + 1).text()).matches() && !lines.get(i + 1).heading()) {
                // A figure set large over its caption ("660" over "MIN. FICO"): read as "660 MIN. FICO".
                Line caption = lines.get(i + 1);
                out.add(new Line(line.text() + " " + caption.text(), joined(line.source(), caption.source())));
                i++;
                continue;
            }
            if (i + 1 < lines.size() && BARE_LABEL.matcher(line.text()).matches()
                    && !(line.heading() && PROGRAM_HEADING.matcher(line.text()).matches()
                    && hasFigure(lines.get(i + 1).text()))) {
                Line next = lines.get(i + 1);
                String nextText = next.text();
                // "Equipment" over "trucks and trailers" over a table row: a program's name and subtitle in a
                // table's first cell ("Titled Equipment"), not a label and its value.
                boolean subtitle = Character.isLowerCase(nextText.isEmpty() ? 'A' : nextText.charAt(0))
                        && i + 2 < lines.size() && lines.get(i + 2).source().text().contains(" | ");
                // A label over bullet items titles a list: its first item alone is not its value.
                boolean list = BULLETED.matcher(next.source().text()).matches() && i + 2 < lines.size()
                        && BULLETED.matcher(lines.get(i + 2).source().text()).matches();
                boolean value = !nextText.contains(":") && !BARE_LABEL.matcher(nextText).matches()
                        && !PROGRAM_HEADING.matcher(nextText).matches() && nextText.length() <= 120 && !subtitle
                        && !list;
                if (value) {
                    out.add(new Line(line.text() + ": " + nextText, joined(line.source(), next.source())));
                    i++;
                    continue;
                }
            }
            out.add(line);
        }
        return out;
    }

    /** The first cell of a table's header row, naming the column of row labels. */
    private static final Pattern MATRIX_CORNER = Pattern.compile(
            "(?:criteria|criterion|requirements?|guidelines?|programs?|products?|features?|items?|category|description|"
                    + "parameters?|credit\\s+tiers?|tiers?|credit\\s+box|underwriting)?", FLAGS);
    /** Column names a table writes on one line with single spaces: "Tier A Tier B Tier C", "A Credit B Credit". */
    private static final Pattern SPACED_COLUMN_NAME = Pattern.compile(
            "(?:tier|level|grade|class|program|option|plan)\\s+[a-z0-9][+-]?(?![\\w])|\\b[a-d][+-]?\\s+(?:credit|tier|paper)\\b",
            FLAGS);
    /** A row label of a criteria table. */
    private static final Pattern CRITERION_LABEL = Pattern.compile(
            "fico|credit|beacon|score|\\btib\\b|time|business|amount|size|transaction|deal|term|revenue|sales|paynet|"
                    + "\\bage\\b|down|bankrupt|start[\\s-]?up|equipment|loan|lease|financ", FLAGS);
    /** One cell value when cells are only a space apart: "650", "$250,000", "2 yrs", "10%", "n/a". */
    private static final String CELL = "(?:\\$?\\d[\\d,.]*\\s?(?:(?:mm|million|m|k)(?![a-z]))?\\s?\\+?\\s?%?"
            + "(?:\\s?(?:yrs?|years?|mos?|months?)\\b)?|n/?a|none|yes|no|-)";
    private static final Pattern EMPTY_CELL = Pattern.compile("n/?a|none|-|not\\s+(?:applicable|required)|", FLAGS);

    /**
     * A table with one column per program ("App Only | Full Financials" over rows "Minimum FICO | 650 | 680"),
     * or one row per program under a header of criteria. Adds a program per column (or row), reads each cell
     * as "label: value", and returns the index of the first line after the table, or {@code at} when the line
     * does not start such a table.
     */
    private static int readMatrix(List<Line> lines, int at, Fields scope, Document doc) {
        String header = lines.get(at).text().replaceAll(":\\s*$", "").trim();
        if (hasValue(header)) {
            return at;
        }
        List<String> names = columnNames(header);
        if (names != null) {
            List<List<String>> rows = new ArrayList<>();
            List<Evidence> rowSources = new ArrayList<>();
            int i = at + 1;
            for (; i < lines.size(); i++) {
                List<Line> cellLines = rowOfCells(lines, i, names.size());
                List<String> labelled = cellLines == null ? null
                        : ProgramTable.labelledRow(cellLines.stream().map(Line::text).toList());
                if (labelled != null) {
                    // Boxes side by side under the names, each cell labelled ("FICO: 700+ | FICO: 670+"): a line
                    // per cell, each read for its own column.
                    rows.add(labelled);
                    rowSources.add(cellLines.stream().map(Line::source).reduce(RuleCriteriaExtractor::joined)
                            .orElseThrow());
                    i += cellLines.size() - 1;
                    continue;
                }
                List<String> row = criterionRow(lines.get(i).text(), names.size());
                if (row == null && i + 1 < lines.size() && !lines.get(i).text().contains(":")) {
                    // A row whose label sits on a line of its own ("Time in business" over "3 years | 2 years"),
                    // or wrapped ("Trucks currently" over "operated | 3+ | 1+").
                    String label = lines.get(i).text();
                    String rest = lines.get(i + 1).text();
                    row = criterionRow(label + ": " + rest, names.size());
                    if (row == null) {
                        row = criterionRow(label + " " + rest, names.size());
                    }
                    if (row != null) {
                        i++;
                    } else if (i + 2 < lines.size() && criterionRow(lines.get(i + 2).text(), names.size()) != null
                            && cells(rest).size() == names.size() + 1) {
                        // A row we cannot label (no criterion in it) inside the table: skip it.
                        i++;
                        continue;
                    }
                }
                if (row == null) {
                    break;
                }
                rows.add(row);
                rowSources.add(lines.get(i).source());
            }
            if (rows.size() >= 2) {
                List<Fields> columns = new ArrayList<>();
                for (String name : names) {
                    columns.add(tableProgram(tidyName(name), lines.get(at).source(), scope, doc));
                }
                for (int r = 0; r < rows.size(); r++) {
                    List<String> row = rows.get(r);
                    for (int c = 0; c < columns.size(); c++) {
                        String value = row.get(c + 1).trim();
                        if (!EMPTY_CELL.matcher(value).matches()) {
                            doc.read(new Line(cellLine(row.get(0), value), inColumn(rowSources.get(r), names.get(c))),
                                    columns.get(c));
                        }
                    }
                }
                return i;
            }
        }
        return at;
    }

    /** The {@code count} lines from {@code at} when they are the cells of one table row, else null. */
    private static List<Line> rowOfCells(List<Line> lines, int at, int count) {
        if (at + count > lines.size()) {
            return null;
        }
        List<Line> cells = lines.subList(at, at + count);
        Evidence first = cells.get(0).source();
        boolean oneRow = true;
        for (Line cell : cells) {
            oneRow &= java.util.Objects.equals(cell.source().locator(), first.locator())
                    && java.util.Objects.equals(cell.source().page(), first.page());
        }
        return oneRow ? cells : null;
    }

    private static final Pattern MARKED_STATE = Pattern.compile("([A-Z]{2})(\\s*[✗✘×☒])?");
    private static final Pattern CHECK = Pattern.compile("[✓✔☑]|yes", FLAGS);
    private static final Pattern CROSS = Pattern.compile("[✗✘×☒]|no", FLAGS);
    /** A row that asks whether a kind of equipment is taken: "Titled equipment", "Used units". */
    private static final Pattern EQUIPMENT_ROW = Pattern.compile("([a-z][a-z -]{2,30}?)\\s+(?:equipment|collateral|units)", FLAGS);

    /**
     * A matrix cell as a statement of its row: "Start-ups" over a check mark reads "Start-ups: yes", over a cross
     * "Start-ups: no"; a cross in an equipment row ("Titled equipment") excludes that equipment.
     */
    private static String cellLine(String label, String value) {
        boolean check = CHECK.matcher(value).matches();
        boolean cross = CROSS.matcher(value).matches();
        Matcher equipment = EQUIPMENT_ROW.matcher(label);
        if (cross && equipment.matches()) {
            return "Excluded equipment: " + equipment.group(1);
        }
        return label + ": " + (check ? "yes" : cross ? "no" : value);
    }

    /** A column label of a criteria table's header: "FICO¹", "TIB", "Min", "Equip. age", "Down". */
    private static final Pattern COLUMN_LABEL = Pattern.compile(
            "(?:min(?:imum)?|max(?:imum)?)\\.?(?:\\s+\\w+)?|down(?:\\s+payment)?|(?:equip(?:ment|\\.)?\\s+)?age|terms?|"
                    + "fico|paynet|tib|time\\s+in\\s+business|revenue|amount|size|credit|score|bk|bankruptcy", FLAGS);

    /** A header's corner cell over rows named by number or letter: "Tier" over "1", "2", "3". */
    private static final Pattern TIER_CORNER = Pattern.compile("tiers?|grades?|levels?|class(?:es)?|programs?|credit", FLAGS);

    /** A table header naming criteria: a corner cell, then mostly criteria and no figures. */
    private static boolean isCriteriaHeader(List<String> cells) {
        if (cells.size() < 3 || cells.stream().anyMatch(cell -> plainLabel(cell).matches(".*\\d.*"))) {
            return false;
        }
        long criteria = cells.stream().skip(1).filter(cell -> COLUMN_LABEL.matcher(plainLabel(cell)).matches()
                || isCriterionLabel(plainLabel(cell))).count();
        return criteria * 10 >= (cells.size() - 1) * 6L;
    }

    /** Footnote marks: "Tier C†", "Medical²", "FICO*". */
    private static final String FOOTNOTE_MARKS = "[¹²³⁴⁵*†‡]+";
    /** Footnote marks after a heading or a name. */
    private static final String TRAILING_MARKS = "\\s*" + FOOTNOTE_MARKS + "$";

    /** A header cell without its footnote marks. */
    static String plainLabel(String label) {
        return label.replaceAll(FOOTNOTE_MARKS, "").trim();
    }

    /** A row of a table with one row per program: a short name in its first cell and one cell per column. */
    private static boolean isProgramRow(List<String> row, int columns) {
        return row.size() == columns && ProgramTable.isProgramName(row.get(0));
    }

    /** A program's row whose name stands on lines of its own, with what its cell says under the name. */
    private record NamedRow(List<String> cells, List<String> subtitles, int rowAt) {
    }

    /** A short line of words that may name a program or say what it is: "Quick Lease", "application only". */
    private static boolean isNameLine(Line line) {
        return !line.heading() && !line.source().text().contains(" | ") && isNameText(line.text());
    }

    private static boolean isNameText(String text) {
        return !text.isEmpty() && text.length() <= 40 && !text.matches(".*[\\d:$].*");
    }

    /**
     * A program's name set on lines of its own above its row's values, as a page gives a table whose name cell
     * holds two lines ("Quick Lease" over "application only") beside values set between them: the name's lines
     * (their subtitle in lower case) and then the row, its first cell missing or holding the subtitle. Null when the
     * lines at {@code at} are not such a row.
     */
    private static NamedRow namedRow(List<Line> lines, int at, int columns) {
        List<String> names = new ArrayList<>();
        List<String> subtitles = new ArrayList<>();
        int i = at;
        for (; i < lines.size() && i < at + 3 && isNameLine(lines.get(i)); i++) {
            String text = lines.get(i).text();
            (Character.isLowerCase(text.charAt(0)) ? subtitles : names).add(text);
        }
        if (names.isEmpty() || i == at || i >= lines.size() || !lines.get(i).source().text().contains(" | ")) {
            return null;
        }
        String name = String.join(" ", names);
        List<String> row = cells(lines.get(i).text());
        if (!ProgramTable.isProgramName(name) || row.isEmpty()) {
            return null;
        }
        List<String> out = new ArrayList<>();
        out.add(name);
        if (row.size() == columns - 1) {
            out.addAll(row);
        } else if (row.size() == columns && Character.isLowerCase(row.get(0).isEmpty() ? 'A' : row.get(0).charAt(0))
                && isNameText(row.get(0))) {
            subtitles.add(row.get(0));
            out.addAll(row.subList(1, row.size()));
        } else {
            return null;
        }
        return new NamedRow(out, subtitles, i);
    }

    /** A program a table's column or row names, within the section the table stands in. */
    private static Fields tableProgram(String name, Evidence source, Fields scope, Document doc) {
        boolean inSection = scope != doc.defaults;
        if (inSection) {
            scope.hasTiers = true;
        }
        Fields program = new Fields(inSection ? qualified(scope, name) : name, scope).named(source);
        doc.programs.add(program);
        return program;
    }

    /** Program names heading a table's columns, or null when the line is not such a header. */
    private static List<String> columnNames(String header) {
        List<String> names = new ArrayList<>(cells(header));
        if (names.size() >= 2 && MATRIX_CORNER.matcher(names.get(0)).matches()) {
            names.remove(0);
        }
        if (names.size() >= 2 && names.size() <= 6
                && names.stream().allMatch(n -> n.length() <= 40 && n.matches(".*[A-Za-z].*"))) {
            return names;
        }
        names.clear();
        Matcher m = SPACED_COLUMN_NAME.matcher(header);
        int first = -1;
        int end = 0;
        while (m.find()) {
            if (first < 0) {
                first = m.start();
            } else if (!header.substring(end, m.start()).isBlank()) {
                return null;
            }
            names.add(m.group());
            end = m.end();
        }
        boolean fills = first >= 0 && header.substring(end).isBlank()
                && MATRIX_CORNER.matcher(header.substring(0, first).trim()).matches();
        return names.size() >= 2 && fills ? names : null;
    }

    /** A table row: a criterion label and exactly {@code columns} values; null when the line is not one. */
    private static List<String> criterionRow(String line, int columns) {
        List<String> row = cells(line);
        if (row.size() == columns + 1 && isCriterionLabel(row.get(0))
                && row.stream().skip(1).allMatch(v -> v.length() <= 30)) {
            return row;
        }
        if (columns >= SPACED_ROWS.size()) {
            return null;
        }
        Matcher m = SPACED_ROWS.get(columns).matcher(line);
        if (!m.matches() || !isCriterionLabel(m.group(1))) {
            return null;
        }
        List<String> out = new ArrayList<>();
        for (int g = 1; g <= columns + 1; g++) {
            out.add(m.group(g).trim());
        }
        return out;
    }

    /** Rows of 0..7 value cells a single space apart: label, then that many values to the end of the line. */
    private static final List<Pattern> SPACED_ROWS = spacedRows(8);

    private static List<Pattern> spacedRows(int most) {
        List<Pattern> out = new ArrayList<>();
        for (int columns = 0; columns < most; columns++) {
            StringBuilder regex = new StringBuilder("^(.+?)");
            for (int c = 0; c < columns; c++) {
                regex.append("\\s+(").append(CELL).append(")");
            }
            out.add(Pattern.compile(regex.append("\\s*$").toString(), FLAGS));
        }
        return List.copyOf(out);
    }

    private static boolean isCriterionLabel(String label) {
        return label.length() <= 40 && !label.matches(".*\\d.*") && CRITERION_LABEL.matcher(label).find();
    }

    /** The cells of a line whose columns lines() joined with ": ". */
    private static List<String> cells(String line) {
        List<String> out = new ArrayList<>();
        for (String cell : line.replaceAll(":\\s*$", "").split("\\s*:\\s+")) {
            out.add(cell.trim());
        }
        return out;
    }

    /** ". " before a capital ends a sentence, unless the word before is an abbreviation ("Corp. Only", "Min. TIB"). */
    private static final Pattern SENTENCE_END = Pattern.compile(
            "(?<=[a-z0-9%)]\\.)(?<!\\b(?i:corp|inc|co|ltd|min|max|no|approx|st|yrs|mos|vs|dept|est|avg)\\.)\\s+(?=[A-Z(])");

    /** A wrapped line is long and does not end a sentence or open a list; the next line continues it. */
    private static List<Line> sentences(List<Line> raw) {
        int longest = 0;
        for (Line line : raw) {
            longest = Math.max(longest, line.text().trim().length());
        }
        List<Line> joined = new ArrayList<>();
        StringBuilder paragraph = new StringBuilder();
        Evidence source = null;
        boolean heading = false;
        int lastLength = 0;
        for (Line rawLine : raw) {
            Interruption.check();
            String line = rawLine.text();
            String trimmed = line.trim();
            String sofar = paragraph.toString();
            // A "Label: value" line that fills the width is a list, not prose: join only what goes on
            // in lower case (or with a number), or prose without a label.
            // Lines read from a page's layout come with their wrapped lines joined already, and a heading
            // continues nothing.
            boolean laidOut = rawLine.source().box() != null;
            boolean continues = !laidOut && !rawLine.heading() && !heading
                    && paragraph.length() > 0 && paragraph.length() < LONGEST_LINE && lastLength >= 0.75 * longest && longest >= 60
                    && !trimmed.isEmpty() && !sofar.matches("(?s).*[.:;!?]\\s*$")
                    && !trimmed.matches("^[*\\-•·o]\\s.*")
                    && !trimmed.matches("^[A-Z][\\w .&/()-]{0,30}:(?:\\s.*)?$")
                    && !PROGRAM_HEADING.matcher(trimmed).matches()
                    && (trimmed.matches("^[a-z0-9$(].*") || !sofar.contains(":"));
            if (continues) {
                paragraph.append(' ').append(trimmed);
                source = joined(source, rawLine.source());
            } else {
                if (paragraph.length() > 0) {
                    joined.add(new Line(paragraph.toString(), source, heading));
                }
                paragraph = new StringBuilder(line);
                source = rawLine.source();
                heading = rawLine.heading();
            }
            lastLength = trimmed.length();
        }
        if (paragraph.length() > 0) {
            joined.add(new Line(paragraph.toString(), source, heading));
        }
        List<Line> out = new ArrayList<>();
        for (Line line : joined) {
            // Sentences end at ". " before a capital: "Min. TIB" splits harmlessly, "$1.5MM" not at all.
            String[] sentences = SENTENCE_END.split(line.text());
            for (String sentence : sentences) {
                Evidence quote = line.source();
                out.add(new Line(sentence, sentences.length == 1 ? quote
                        : new Evidence(Evidence.DOCUMENT, quote.page(), sentence.strip(), quote.locator(), quote.box()),
                        line.heading()));
            }
        }
        return out;
    }

    /** The program a sentence opens with by name ("Tier 3 requires 15% down."), or null. */
    private static Fields programNamedAt(String line, List<Fields> programs) {
        String lower = line.toLowerCase(Locale.ROOT);
        for (Fields program : programs) {
            String full = program.name == null ? "" : program.name.toLowerCase(Locale.ROOT);
            // "Corp Only requires …" names the program "Corporate Credit – Corp Only" by its tier.
            for (String name : List.of(full, full.substring(full.lastIndexOf(" – ") + 1).replaceFirst("^– ", ""))) {
                if (name.length() >= 4 && lower.startsWith(name) && lower.length() > name.length()
                        && (!Character.isLetterOrDigit(lower.charAt(name.length()))
                        || lower.startsWith(name + "s ") || lower.startsWith(name + "s:"))) {
                    return program;
                }
            }
        }
        return null;
    }

    /** The items listed on the lines after "Restricted industries:" until the next line with a colon. */
    private static String listAfter(List<Line> lines, int index, boolean exclusions) {
        StringBuilder items = new StringBuilder();
        for (int i = index + 1; i < lines.size() && i <= index + 60; i++) {
            String next = lines.get(i).text();
            List<String> row = cells(next);
            boolean tableRow = lines.get(i).source().text().contains(" | ") && row.size() >= 2
                    && row.stream().allMatch(item -> item.length() <= 40 && !item.endsWith("."));
            if (tableRow && (exclusions || row.stream().noneMatch(item -> item.matches(".*\\d.*")))) {
                // Items set as a table, several to a row: exclusions, or names without figures ("PA | NJ | DE").
                row.forEach(item -> items.append(item).append(", "));
                continue;
            }
            if (next.contains(":") || lines.get(i).heading() || PROGRAM_HEADING.matcher(next).matches() || next.length() > 60
                    || GENERAL_HEADING.matcher(next).matches() || LIST_HEADING.matcher(next).matches()
                    || (next.endsWith(".") && (next.matches(".*\\d.*") || next.split("\\s+").length > 6))) {
                break;
            }
            items.append(next).append(", ");
        }
        return items.toString();
    }

    /** A heading with a figure ("from 7.99%", "Effective 3/1/2026") is a note, not a section title. */
    private static boolean hasFigure(String line) {
        return line.replaceFirst(SECTION_NUMBER, "").replaceAll("\\([^)]*\\)", "").matches(".*\\d.*");
    }

    private static boolean hasValue(String line) {
        return line.matches(".*\\d{3,}.*") || line.contains("$");
    }

    /** A section's number before its title: "2. Collateral", "3 · Titled Units", "4 - Start-Up". */
    private static final String SECTION_NUMBER = "^\\d{1,2}(?:[.)]|\\s*[·:-])\\s+";

    private static String tidyName(String heading) {
        String name = heading.replaceAll("\\s+", " ").replaceFirst(TRAILING_MARKS, "").replaceAll("[:]+$", "")
                .replaceFirst(SECTION_NUMBER, "").replaceFirst("(?i)^program\\s*(?:name|#?\\s*\\d{1,2})?\\s*:\\s*", "").trim();
        return name.length() > 80 ? name.substring(0, 80) : name;
    }

    private static void readFields(String line, Fields f) {
        Matcher m = FICO.matcher(line);
        if (!f.has("min_fico") && !SCORE_SCALE.matcher(line).find() && m.find()) {
            // an impossible score ("FICO 950") is kept for the review, which drops it with a warning
            f.put("min_fico", Integer.parseInt(m.group(1) != null ? m.group(1) : m.group(2)));
        }
        m = PAYNET.matcher(line);
        if (!f.has("min_paynet") && (m.find() || (m = PAYNET_AFTER.matcher(line)).find())) {
            f.put("min_paynet", Integer.parseInt(m.group(1)));
        }
        if (!f.has("min_time_in_business_months") && !LENDER_HISTORY.matcher(line).find()) {
            f.put("min_time_in_business_months", timeInBusiness(line));
        }
        if (!f.has("startups_allowed")) {
            if (NO_STARTUPS.matcher(line).find()) {
                f.put("startups_allowed", false);
            } else if (STARTUPS_OK.matcher(line).find()) {
                f.put("startups_allowed", true);
            }
        }
        if (!f.has("min_annual_revenue")) {
            f.put("min_annual_revenue", amountAfter(REVENUE_KEYWORD, line));
        }
        readAmounts(line, f);
        m = TERM.matcher(line);
        if (!f.has("max_term_months") && m.find() && !m.group().toLowerCase(Locale.ROOT).contains("business")
                && !LOWER_BOUND_AFTER.matcher(line.substring(m.end())).lookingAt()) {
            int at = m.group(2) != null ? 2 : 5;
            Double number = Normalizers.number(m.group(at));
            if (number != null) {
                f.put("max_term_months", (int) Math.round(m.group(at + 1).toLowerCase(Locale.ROOT).startsWith("y")
                        ? number * 12 : number));
            }
        }
        m = EQUIPMENT_AGE.matcher(line);
        if (!f.has("max_equipment_age_years") && m.find()) {
            for (int g = 1; g <= m.groupCount(); g += 2) {
                if (m.group(g) != null) {
                    Double years = Normalizers.number(m.group(g));
                    f.put("max_equipment_age_years", years == null ? null : (int) Math.round(years));
                    break;
                }
            }
        }
        m = BANKRUPTCY.matcher(line);
        if (!f.has("bankruptcy_lookback_years") && m.find()) {
            Double years = Normalizers.number(m.group(1));
            if (years != null) {
                f.put("bankruptcy_lookback_years", (int) Math.round(m.group(2).toLowerCase(Locale.ROOT).startsWith("y") ? years
                        : years / 12));
            }
        }
        m = DOWN_PAYMENT.matcher(line);
        if (!f.has("min_down_payment_pct") && m.find() && !(startupClause(line, m.start())
                && (f.name == null || !STARTUP_WORD.matcher(f.name).find()))) {
            f.put("min_down_payment_pct", Double.parseDouble(m.group(1) != null ? m.group(1)
                    : m.group(2) != null ? m.group(2) : m.group(3)));
        }
        if (!f.has("excluded_equipment_types")) {
            f.put("excluded_equipment_types", listAfterKeyword(EQUIPMENT_EXCLUDED, line));
        }
        if (!f.has("allowed_equipment_types") && !EQUIPMENT_EXCLUDED.matcher(line).find()) {
            f.put("allowed_equipment_types", listAfterKeyword(EQUIPMENT_ALLOWED, line));
        }
    }

    /** A duration right before a time-in-business keyword: "3+ years in business", "5 years time in business". */
    private static final Pattern ADJACENT_DURATION = Pattern.compile(
            "(" + Normalizers.NUMBER + "\\s?\\+?\\s?(?:or\\s+more\\s+|plus\\s+)?(?:years?|yrs?|months?|mos?)\\.?)"
                    + "(?:\\s+(?:of|minimum|min\\.?|required))?\\s*$", FLAGS);

    /** Words that make the figure before them a floor: "terms 36 months or more". */
    private static final Pattern LOWER_BOUND_AFTER = Pattern.compile("\\s*(?:\\+|or\\s+(?:more|longer|greater|above)|min(?:imum|\\.)?\\b)", FLAGS);

    /** Words that make the number after them a ceiling, not a minimum: "less than 2 years in business". */
    private static final Pattern UPPER_BOUND = Pattern.compile(
            "(?:less\\s+than|fewer\\s+than|under|below|up\\s+to|<)\\s*$", FLAGS);

    private static final Pattern STARTUP_WORD = Pattern.compile("start[\\s-]?ups?\\b", FLAGS);

    /** True when the clause (between ";" or ". ") around a position speaks of start-ups. */
    private static boolean startupClause(String line, int at) {
        int from = Math.max(line.lastIndexOf(';', at), line.lastIndexOf(". ", at)) + 1;
        int semicolon = line.indexOf(';', at);
        int stop = line.indexOf(". ", at);
        int to = Math.min(semicolon < 0 ? line.length() : semicolon, stop < 0 ? line.length() : stop);
        return STARTUP_WORD.matcher(line.substring(from, to)).find();
    }

    /** Time in business: a duration right after its keyword, or just before it ("2+ yrs TIB"). */
    private static Integer timeInBusiness(String line) {
        Matcher keyword = TIB_KEYWORD.matcher(line);
        while (keyword.find()) {
            String before0 = line.substring(Math.max(0, keyword.start() - 30), keyword.start());
            Matcher adjacent = ADJACENT_DURATION.matcher(before0);
            if (adjacent.find()) {
                Matcher d = Normalizers.DURATION.matcher(adjacent.group(1));
                if (d.find() && !UPPER_BOUND.matcher(before0.substring(0, adjacent.start())).find()) {
                    return Normalizers.monthsOf(d);
                }
            }
            String after = line.substring(keyword.end(), Math.min(line.length(), keyword.end() + 45))
                    .split("[;|]|\\.\\s", 2)[0];
            Matcher duration = Normalizers.DURATION.matcher(after);
            if (duration.find() && !UPPER_BOUND.matcher(after.substring(0, duration.start())).find()) {
                return Normalizers.monthsOf(duration);
            }
            String before = line.substring(Math.max(0, keyword.start() - 30), keyword.start());
            Matcher earlier = Normalizers.DURATION.matcher(before);
            Integer last = null;
            while (earlier.find()) {
                last = UPPER_BOUND.matcher(before.substring(0, earlier.start())).find() ? null
                        : Normalizers.monthsOf(earlier);
            }
            if (last != null) {
                return last;
            }
            // A label that names the unit, with a bare number: "Years in Business: 2+", "TIB (months): 18".
            Matcher bare = LABELLED_NUMBER.matcher(line);
            if (bare.find()) {
                double number = Double.parseDouble(bare.group(2));
                return (int) Math.round(bare.group(1).toLowerCase(Locale.ROOT).startsWith("y") ? number * 12 : number);
            }
        }
        return null;
    }

    /** A line about the lender or its customers, not a requirement: "Founded 1995", "We've been in business for 30 years". */
    private static final Pattern LENDER_HISTORY = Pattern.compile("\\b(?:founded|since\\s+(?:19|20)\\d\\d|"
            + "(?:established|in\\s+business)\\s+(?:in|since)\\s+(?:19|20)\\d\\d|we(?:'ve|\\s+have)\\s+been|"
            + "our\\s+(?:customers|clients|borrowers|team|company|firm))\\b", FLAGS);

    private static final Pattern LABELLED_NUMBER = Pattern.compile(
            "\\b(years?|yrs?|months?|mos?)\\b[^:\\d]{0,25}:?\\s*(\\d+(?:\\.\\d+)?)\\s*\\+?\\s*$", FLAGS);

    /** The amount after the keyword ("Annual revenue: $1MM"), or just before it ("Min $1MM annual revenue"). */
    private static Long amountAfter(Pattern keyword, String line) {
        Matcher m = keyword.matcher(line);
        if (!m.find()) {
            return null;
        }
        List<Long> after = Normalizers.amounts(line.substring(m.end()));
        if (!after.isEmpty()) {
            return after.get(0);
        }
        List<Long> before = Normalizers.amounts(line.substring(Math.max(0, m.start() - 20), m.start()));
        return before.isEmpty() ? null : before.get(before.size() - 1);
    }

    /**
     * Deal size. Each amount on a line about deals is a minimum or a maximum by the words just before it
     * ("up to", "maximum of", "minimum of", "from", "between"), or the two ends of a range ("$10K - $250K",
     * "10,000 to 250,000", "between $20,000 and $350,000"). Revenue lines are left to revenue.
     */
    /** No single equipment or small-business deal is larger: bigger sums are company history ("funded $2 billion"). */
    private static final long MAX_DEAL = 100_000_000L;

    private static void readAmounts(String line, Fields f) {
        if (f.has("min_amount") && f.has("max_amount")) {
            return;
        }
        if (BARE_MAXIMUM.matcher(line).find()) {
            f.putIfAbsent("max_amount", Normalizers.money(line));
            return;
        }
        Matcher keyword = AMOUNT_KEYWORD.matcher(line);
        if (!keyword.find() || FEE.matcher(line).find()) {
            // "Processing fee $250 for deals under $25,000": the amounts say when a fee applies
            return;
        }
        boolean refused = REFUSED.matcher(line).find();
        Matcher revenue = REVENUE_KEYWORD.matcher(line);
        int end = revenue.find() && revenue.start() > keyword.start() ? revenue.start() : line.length();
        String part = line.substring(0, end);
        Matcher range = AMOUNT_RANGE.matcher(part.substring(keyword.start()));
        if (range.find()) {
            Long low = Normalizers.money(range.group(1));
            Long high = Normalizers.money(range.group(2));
            if (low != null && high != null && low < high && high <= MAX_DEAL) {
                f.putIfAbsent("min_amount", low);
                f.putIfAbsent("max_amount", high);
                return;
            }
        }
        Matcher money = Normalizers.MONEY.matcher(part);
        while (money.find()) {
            Long amount = Normalizers.moneyOf(money);
            if (amount == null || amount > MAX_DEAL) {
                continue;
            }
            String before = part.substring(Math.max(0, money.start() - 28), money.start()).toLowerCase(Locale.ROOT);
            String after = part.substring(money.end(), Math.min(part.length(), money.end() + 12))
                    .toLowerCase(Locale.ROOT);
            if (refused) {
                // "Deals under $5,000 are not accepted" is the minimum; "over $500,000 ... not eligible" the maximum
                if (BELOW.matcher(before).find()) {
                    f.putIfAbsent("min_amount", amount);
                } else if (ABOVE.matcher(before).find()) {
                    f.putIfAbsent("max_amount", amount);
                }
                continue;
            }
            if (after.matches("^\\s*(?:max(?:imum)?|max\\.|cap|ceiling)\\b.*")) {
                f.putIfAbsent("max_amount", amount);
            } else if (after.matches("^\\s*(?:min(?:imum)?|min\\.|floor)\\b.*")) {
                f.putIfAbsent("min_amount", amount);
            } else if (MAXIMUM_WORDS.matcher(before).find()) {
                f.putIfAbsent("max_amount", amount);
            } else if (MINIMUM_WORDS.matcher(before).find()) {
                f.putIfAbsent("min_amount", amount);
            }
        }
    }

    private static List<String> listAfterKeyword(Pattern keyword, String line) {
        Matcher m = keyword.matcher(line);
        if (!m.find()) {
            return null;
        }
        List<String> items = new ArrayList<>();
        for (String part : line.substring(m.end()).replaceFirst("^\\s*(?:types?)?\\s*(?:include|are|:)?\\s*:?", "")
                .split("\\s*(?:[,;]|\\band\\b|\\bor\\b)\\s*")) {
            String item = part.toLowerCase(Locale.ROOT).replaceAll("[.:]+$", "").trim();
            if (item.matches("[a-z][a-z /&-]{1,30}") && item.split(" ").length <= 3) {
                items.add(item);
            }
        }
        return items.isEmpty() ? null : items;
    }

    private static void readLenderWide(String line, Accumulator acc) {
        int before = acc.excludedIndustries.size();
        readLenderWideLists(line, acc);
        if (acc.excludedIndustries.size() > before) {
            acc.excludedIndustries.removeIf(item -> item.matches("start[\\s-]?ups?\\b.*"));
        }
    }

    /** "Vape shops join the list of industries we do not finance." */
    private static final Pattern JOINS_EXCLUSIONS = Pattern.compile(
            "^(?:\\d{1,2}[.)]\\s+)?(.+?)\\s+(?:joins?|(?:is|are)\\s+(?:now\\s+)?added\\s+to)\\s+(?:the|our)\\s+(?:list\\s+of\\s+)?"
                    + "(?:(?:excluded|restricted|prohibited|ineligible)\\s+)?(?:industries|businesses)\\b", FLAGS);

    private static void readLenderWideLists(String line, Accumulator acc) {
        Matcher joins = JOINS_EXCLUSIONS.matcher(line);
        if (joins.find()) {
            acc.excludedIndustries.addAll(Normalizers.industries(joins.group(1)));
        }
        Matcher engaged = INDUSTRY_SENTENCE.matcher(line);
        if (engaged.find()) {
            acc.excludedIndustries.addAll(Normalizers.industries(engaged.group(1)));
        }
        Matcher inIndustries = NOT_IN_INDUSTRIES.matcher(line);
        if (inIndustries.find()) {
            acc.excludedIndustries.addAll(Normalizers.industries(inIndustries.group(1)));
        }
        Matcher statesFirst = STATES_THEN_EXCLUDED.matcher(line);
        if (statesFirst.find() && onlyStates(statesFirst.group(1))) {
            acc.excludedStates.addAll(Normalizers.states(statesFirst.group(1)));
        }
        Matcher industries = EXCLUDED_INDUSTRIES.matcher(line);
        if (industries.find()) {
            // "… and practices located in New York": the place is a state exclusion, not an industry.
            String items = afterColonOr(line, industries.end()).replaceAll("(?i),?\\s*(?:and\\s+)?[^,]*\\blocated\\s+in\\b.*$", "");
            acc.excludedIndustries.addAll(Normalizers.industries(items));
        } else if (BARE_EXCLUSION_LIST.matcher(line).find() && Normalizers.states(line).isEmpty()) {
            acc.excludedIndustries.addAll(Normalizers.industries(line.substring(line.indexOf(':') + 1)));
        }
        Matcher excluded = EXCLUDED_STATES.matcher(line);
        if (excluded.find()) {
            acc.excludedStates.addAll(Normalizers.states(line.substring(excluded.end())));
        } else {
            Matcher noStates = NO_STATES_PREFIX.matcher(line);
            if (noStates.matches()) {
                acc.excludedStates.addAll(Normalizers.states(noStates.group(1)));
            }
        }
        Matcher allowed = ALLOWED_STATES.matcher(line);
        if (allowed.find() && !excluded.find(0) && !ALL_STATES.matcher(line).find()) {
            acc.allowedStates.addAll(Normalizers.states(line.substring(allowed.end())));
        }
    }

    /** "Businesses engaged in gambling, lending or adult entertainment are ineligible." */
    private static final Pattern INDUSTRY_SENTENCE = Pattern.compile(
            "(?:businesses|companies|borrowers|applicants|firms)\\s+(?:that\\s+are\\s+)?(?:engaged|involved|operating)"
                    + "\\s+in\\s+(.+?)\\s+(?:are|is)\\s+(?:ineligible|not\\s+eligible|excluded|prohibited|restricted|"
                    + "not\\s+considered|not\\s+financed)", FLAGS);
    /** "We do not lend to businesses in the cannabis, gambling, or adult entertainment industries." */
    private static final Pattern NOT_IN_INDUSTRIES = Pattern.compile(
            "(?:do(?:es)?\\s+not|don't|doesn't|will\\s+not|won't|cannot|can't|never)\\s+(?:\\w+\\s+){0,2}?"
                    + "(?:to|with|for)\\s+(?:businesses|companies|borrowers|clients|firms)\\s+in\\s+the\\s+(.+?)\\s+"
                    + "(?:industries|industry|sectors?|fields?)\\b", FLAGS);
    /** "Nevada and California remain excluded": the states come first. */
    private static final Pattern STATES_THEN_EXCLUDED = Pattern.compile(
            "^(.+?)\\s+(?:remains?|are|is)\\s+(?:(?:still|currently)\\s+)?(?:excluded|ineligible|off[\\s-]limits|"
                    + "restricted|not\\s+(?:eligible|available|served))\\b", FLAGS);
    private static final Pattern STATE_LIST_FILLER = Pattern.compile(
            "(?i)\\b(?:and|or|the|states?\\s+of|states?|also|still|all|of|we|in|businesses|companies|borrowers|applicants|"
                    + "lessees|located|based)\\b|[^a-z ]");

    /** True when a phrase is nothing but a list of states, by name or code. */
    private static boolean onlyStates(String phrase) {
        String rest = " " + phrase.toLowerCase(Locale.ROOT) + " ";
        for (String name : UsStates.namesLongestFirst()) {
            rest = rest.replace(" " + name + " ", "  ").replace(" " + name + ",", " ,");
        }
        StringBuilder left = new StringBuilder();
        for (String word : STATE_LIST_FILLER.matcher(rest).replaceAll(" ").trim().split("\\s+")) {
            if (!word.isEmpty() && !UsStates.isCode(word.toUpperCase(Locale.ROOT))) {
                left.append(word);
            }
        }
        return left.length() == 0 && !Normalizers.states(phrase).isEmpty();
    }

    private static String afterColonOr(String line, int from) {
        int colon = line.indexOf(':', from);
        return colon >= 0 && colon - from < 20 ? line.substring(colon + 1) : line.substring(from);
    }
}
