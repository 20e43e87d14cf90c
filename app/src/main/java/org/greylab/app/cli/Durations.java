package org.greylab.app.cli;

import java.time.Duration;
import java.util.Locale;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** A duration as people write it on a command line: {@code 90s}, {@code 30m}, {@code 2h}. */
final class Durations implements ITypeConverter<Duration> {

    @Override
    public Duration convert(String value) {
        String text = value.trim().toLowerCase(Locale.ROOT);
        if (text.length() >= 2) {
            char unit = text.charAt(text.length() - 1);
            try {
                long amount = Long.parseLong(text.substring(0, text.length() - 1));
                switch (unit) {
                    case 's':
                        return Duration.ofSeconds(amount);
                    case 'm':
                        return Duration.ofMinutes(amount);
                    case 'h':
                        return Duration.ofHours(amount);
                    default:
                        break;
                }
            } catch (NumberFormatException e) {
                // falls through to the message
            }
        }
        throw new TypeConversionException("'" + value + "' is not a duration: write a number and s, m or h, such as"
                + " 90s, 30m or 2h");
    }

    /** "30 min", "90 s", "2 h". */
    static String words(Duration d) {
        long s = d.toSeconds();
        return s % 3600 == 0 ? s / 3600 + " h" : s % 60 == 0 ? s / 60 + " min" : s + " s";
    }
}
