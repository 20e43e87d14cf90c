package org.greylab.app.cli;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;
import org.greylab.core.image.GreyFormula;
import org.greylab.core.image.OutputFormat;
import org.greylab.core.image.PngFilter;
import org.greylab.core.job.OverwritePolicy;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** Option values are lower-case words on the command line ({@code --format png}); these map them to enums. */
final class Choices {

    private Choices() {
    }

    /** Parses a lower-case (any case accepted) word into one of an enum's constants. */
    abstract static class LowerCaseEnum<E extends Enum<E>> implements ITypeConverter<E> {
        private final Class<E> type;

        LowerCaseEnum(Class<E> type) {
            this.type = type;
        }

        @Override
        public E convert(String value) {
            String wanted = value.trim().toUpperCase(Locale.ROOT).replace('-', '_');
            for (E constant : type.getEnumConstants()) {
                if (constant.name().equals(wanted)) {
                    return constant;
                }
            }
            throw new TypeConversionException("'" + value + "' is not one of " + words(type));
        }
    }

    static String word(Enum<?> constant) {
        return constant.name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    static <E extends Enum<E>> String words(Class<E> type) {
        return Arrays.stream(type.getEnumConstants()).map(Choices::word).collect(Collectors.joining(", "));
    }

    public static final class FormatConverter extends LowerCaseEnum<OutputFormat> {
        public FormatConverter() {
            super(OutputFormat.class);
        }
    }

    public static final class FormulaConverter extends LowerCaseEnum<GreyFormula> {
        public FormulaConverter() {
            super(GreyFormula.class);
        }
    }

    public static final class PngFilterConverter extends LowerCaseEnum<PngFilter> {
        public PngFilterConverter() {
            super(PngFilter.class);
        }
    }

    public static final class OverwriteConverter extends LowerCaseEnum<OverwritePolicy> {
        public OverwriteConverter() {
            super(OverwritePolicy.class);
        }
    }

    /** How a batch runs; the engines of direct and balanced come with the engine work. */
    enum Mode {
        SERIAL, DIRECT, BALANCED
    }

    public static final class ModeConverter extends LowerCaseEnum<Mode> {
        public ModeConverter() {
            super(Mode.class);
        }
    }
}
