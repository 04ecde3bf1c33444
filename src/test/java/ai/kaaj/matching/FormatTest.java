package ai.kaaj.matching;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class FormatTest {

    @Test
    void moneyIsWrittenAsBrokersReadIt() {
        assertThat(Format.money(0)).isEqualTo("$0");
        assertThat(Format.money(7)).isEqualTo("$7");
        assertThat(Format.money(999)).isEqualTo("$999");
        assertThat(Format.money(1000)).isEqualTo("$1,000");
        assertThat(Format.money(150_001)).isEqualTo("$150,001");
        assertThat(Format.money(1_250_000)).isEqualTo("$1,250,000");
        assertThat(Format.money(-12_500)).isEqualTo("-$12,500");
        assertThat(Format.money(Long.MAX_VALUE)).isEqualTo("$9,223,372,036,854,775,807");
        assertThat(Format.money(Long.MIN_VALUE)).isEqualTo("-$9,223,372,036,854,775,808");
    }

    @Test
    void numbersKeepUpToTwoDecimals() {
        assertThat(Format.number(10)).isEqualTo("10");
        assertThat(Format.number(12.5)).isEqualTo("12.5");
        assertThat(Format.number(2.25)).isEqualTo("2.25");
        assertThat(Format.number(0.05)).isEqualTo("0.05");
        assertThat(Format.number(6.999)).isEqualTo("7");
        assertThat(Format.number(-1.5)).isEqualTo("-1.5");
    }

    @Test
    void listsAreCommaSeparated() {
        assertThat(Format.list(List.of("CA", "NV"))).isEqualTo("CA, NV");
    }
}
