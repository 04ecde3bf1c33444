package ai.kaaj.matching;

import java.nio.charset.StandardCharsets;
import java.util.List;

/** Numbers as the reason sentences write them, without String.format (it is slow on the matching path). */
final class Format {

    private Format() {
    }

    /** Whole dollars with thousands separators: $1,250,000. */
    static String money(long dollars) {
        byte[] out = new byte[28];
        int at = out.length;
        long rest = dollars;
        int digits = 0;
        do {
            if (digits > 0 && digits % 3 == 0) {
                out[--at] = ',';
            }
            out[--at] = (byte) ('0' + Math.abs(rest % 10));
            rest /= 10;
            digits++;
        } while (rest != 0);
        out[--at] = '$';
        if (dollars < 0) {
            out[--at] = '-';
        }
        return new String(out, at, out.length - at, StandardCharsets.ISO_8859_1);
    }

    /** Up to two decimals, trailing zeros dropped: 10, 7.5, 2.25. */
    static String number(double value) {
        long hundredths = Math.round(value * 100);
        if (hundredths % 100 == 0) {
            return Long.toString(hundredths / 100);
        }
        String sign = hundredths < 0 ? "-" : "";
        long abs = Math.abs(hundredths);
        long fraction = abs % 100;
        String decimals = fraction % 10 == 0 ? Long.toString(fraction / 10)
                : (fraction < 10 ? "0" : "") + fraction;
        return sign + (abs / 100) + "." + decimals;
    }

    /** "CA, NV" */
    static String list(List<String> items) {
        return String.join(", ", items);
    }
}
