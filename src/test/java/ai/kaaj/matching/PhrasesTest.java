package ai.kaaj.matching;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

class PhrasesTest {

    @ParameterizedTest(name = "\"{0}\" is in excluded \"{1}\": {2}")
    @CsvSource(delimiter = '|', value = {
            // the head of the industry, or all of it
            "trucking                                  | trucking            | true",
            "long-haul trucking                        | trucking            | true",
            "Long Haul Trucking                        | long-haul trucking  | true",
            "longhaul trucking                         | long-haul           | true",
            "Italian restaurant                        | restaurants         | true",
            "restaurants                               | restaurant          | true",
            "online gambling                           | gambling            | true",
            // followed by words of a business in the industry
            "cannabis dispensary                       | cannabis            | true",
            "Cannabis cultivation and retail           | cannabis            | true",
            "gambling hall                             | gambling            | true",
            "adult entertainment venue                 | adult entertainment | true",
            "real estate brokerage                     | real estate         | true",
            "firearms dealer                           | firearms            | true",
            "trucking company                          | trucking            | true",
            "trucking business                         | trucking            | true",
            "nonprofit organization                    | non-profits         | true",
            "non profit                                | nonprofit           | true",
            "MLM                                       | mlm                 | true",
            // a supplier to or service for the industry
            "restaurant supply                         | restaurant          | false",
            "restaurant supplies wholesale             | restaurants         | false",
            "restaurant equipment dealer               | restaurant          | false",
            "restaurant industry supplier              | restaurant          | false",
            "truck parts retail                        | trucking            | false",
            "truck parts retail                        | truck               | false",
            "trucking insurance                        | trucking            | false",
            "gaming software                           | gaming              | false",
            "gambling addiction counseling             | gambling            | false",
            "equipment supplier to the trucking industry | trucking          | false",
            "software for cannabis dispensaries        | cannabis            | false",
            "parts for trucking companies              | trucking            | false",
            // different words, never substrings
            "truck stop                                | trucking            | false",
            "scannabis labs                            | cannabis            | false",
            "realty                                    | real estate         | false",
            "estate planning law                       | real estate         | false",
            "excavation contractor                     | trucking            | false",
            "trucking                                  | long-haul trucking  | false",
            "restaurant                                | ''                  | false",
    })
    void excludedIndustryRule(String industry, String excluded, boolean expected) {
        assertThat(Phrases.inIndustry(Phrases.industryWords(industry), Phrases.industryPhrase(excluded)))
                .isEqualTo(expected);
    }

    @ParameterizedTest(name = "\"{0}\" is of kind \"{1}\": {2}")
    @CsvSource(delimiter = '|', value = {
            "dump trucks            | trucks       | true",
            "Semi Truck             | trucks       | true",
            "truck                  | Trucks       | true",
            "construction equipment | construction | true",
            "construction           | construction equipment | true",
            "heavy construction machinery | construction | true",
            "medical imaging        | medical      | true",
            "restaurant equipment   | restaurant   | true",
            "technology             | Technology   | true",
            "trucks                 | semi trucks  | false",
            "medical                | construction | false",
            "firetruck              | truck        | false",
            "equipment              | construction | false",
    })
    void equipmentKinds(String type, String listed, boolean expected) {
        assertThat(Phrases.ofKind(Phrases.equipmentWords(type), Phrases.equipmentPhrase(listed))).isEqualTo(expected);
    }

    @Test
    void wordsAreLowerCaseSingularAndSplitOnAnythingElse() {
        assertThat(Phrases.words("Long-Haul TRUCKING, Inc.")).containsExactly("long", "haul", "trucking", "inc");
        assertThat(Phrases.words("  ")).isEmpty();
        assertThat(Phrases.words("Dispensaries/Restaurants & Businesses")).containsExactly("dispensary", "restaurant",
                "business");
        assertThat(Phrases.words("cannabis glass bus gas boxes churches")).containsExactly("cannabis", "glass", "bus",
                "gas", "box", "church");
    }

    @Test
    void naicsCodesAreTwoToSixDigits() {
        assertThat(Phrases.isNaicsCode("7132")).isTrue();
        assertThat(Phrases.isNaicsCode("713210")).isTrue();
        assertThat(Phrases.isNaicsCode("72")).isTrue();
        assertThat(Phrases.isNaicsCode("7")).isFalse();
        assertThat(Phrases.isNaicsCode("7132101")).isFalse();
        assertThat(Phrases.isNaicsCode("71a2")).isFalse();
        assertThat(Phrases.industryPhrase(" 7132 ").code()).isTrue();
        assertThat(Phrases.industryPhrase("7132 casinos").code()).isFalse();
        assertThat(Phrases.equipmentPhrase("2021").code()).isFalse();
    }

    @Test
    void lenderPhrasesAreReusedNotRecomputed() {
        assertThat(Phrases.industryPhrase("adult entertainment")).isSameAs(Phrases.industryPhrase("adult entertainment"));
        assertThat(Phrases.industryPhrase("Non-Profits").joined()).isEqualTo("nonprofit");
    }
}
