package ai.kaaj.extraction;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/** The ways guidelines write money, durations, states and industries, each turned into the schema's unit. */
class NormalizersTest {

    @ParameterizedTest(name = "money \"{0}\" -> {1}")
    @CsvSource(delimiter = '=', nullValues = "null", value = {
            "$250K = 250000",
            "250,000 = 250000",
            "$250,000.00 = 250000",
            "$1.5MM = 1500000",
            "$1.5 million = 1500000",
            "$2M = 2000000",
            "10k = 10000",
            "USD 50,000 = 50000",
            "up to $75,000 per transaction = 75000",
            "$3 MM = 3000000",
            "650 = null",
            "FICO 650 = null",
            "no amount here = null"})
    void money(String text, Long expected) {
        assertThat(Normalizers.money(text)).isEqualTo(expected);
    }

    @ParameterizedTest(name = "months \"{0}\" -> {1}")
    @CsvSource(delimiter = '=', nullValues = "null", value = {
            "2 years = 24",
            "24 months = 24",
            "2+ yrs = 24",
            "two years = 24",
            "18 mos = 18",
            "1.5 years = 18",
            "3 yr = 36",
            "five years or more = 60",
            "6 mo = 6",
            "established = null"})
    void months(String text, Integer expected) {
        assertThat(Normalizers.months(text)).isEqualTo(expected);
    }

    @ParameterizedTest(name = "years \"{0}\" -> {1}")
    @CsvSource(delimiter = '=', nullValues = "null", value = {
            "7 years = 7",
            "seven years = 7",
            "84 months = 7",
            "none = null"})
    void years(String text, Integer expected) {
        assertThat(Normalizers.years(text)).isEqualTo(expected);
    }

    @ParameterizedTest(name = "percent \"{0}\" -> {1}")
    @CsvSource(delimiter = '=', nullValues = "null", value = {
            "10% down = 10.0",
            "12.5 percent = 12.5",
            "ten = null"})
    void percent(String text, Double expected) {
        assertThat(Normalizers.percent(text)).isEqualTo(expected);
    }

    static Stream<Arguments> stateLists() {
        return Stream.of(
                arguments("No CA, NV", List.of("CA", "NV")),
                arguments("Not available in: California, Nevada", List.of("CA", "NV")),
                arguments("AVAILABLE IN CA", List.of("CA")),
                arguments("Available in all states except AK, HI", List.of("AK", "HI")),
                arguments("Only available in TX, OK, LA", List.of("TX", "OK", "LA")),
                arguments("AK/HI", List.of("AK", "HI")),
                arguments("West Virginia and Virginia", List.of("WV", "VA")),
                arguments("North Carolina, South Dakota or New York", List.of("NC", "SD", "NY")),
                arguments("We lend in Oregon or Indiana", List.of("OR", "IN")),
                arguments("Minimum FICO of 650 in all cases", List.of()));
    }

    @ParameterizedTest(name = "states \"{0}\" -> {1}")
    @MethodSource("stateLists")
    void states(String text, List<String> expected) {
        assertThat(Normalizers.states(text)).containsExactlyInAnyOrderElementsOf(expected);
    }

    static Stream<Arguments> industryLists() {
        return Stream.of(
                arguments("cannabis, adult entertainment, gambling, firearms",
                        List.of("cannabis", "adult entertainment", "gambling", "firearms")),
                arguments("Cannabis; Adult Entertainment; gambling and firearms",
                        List.of("cannabis", "adult entertainment", "gambling", "firearms")),
                arguments("SIC/NAICS: 7011, 713210", List.of("7011", "713210")),
                arguments("NAICS codes 713210, 7011 and cannabis", List.of("713210", "7011", "cannabis")),
                arguments("oil and gas exploration, long-haul trucking",
                        List.of("oil and gas exploration", "long-haul trucking")),
                arguments("remain cannabis, gambling or MLM", List.of("cannabis", "gambling", "mlm")),
                arguments("non-profits, real estate, etc.", List.of("non-profits", "real estate")),
                arguments("Cannabis (growers and dispensaries), Trucking (local & long haul), pawn shops",
                        List.of("cannabis", "trucking", "pawn shops")));
    }

    @ParameterizedTest(name = "industries \"{0}\" -> {1}")
    @MethodSource("industryLists")
    void industries(String text, List<String> expected) {
        assertThat(Normalizers.industries(text)).containsExactlyInAnyOrderElementsOf(expected);
    }
}
