package dev.ashlar.api.resource;

import dev.ashlar.api.error.DefinitionException;
import java.math.BigDecimal;
import java.util.Collection;
import java.util.Objects;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * What an attribute's values must be beyond their type (AshPostgres's attribute {@code constraints}: {@code
 * min_length}, {@code max_length}, {@code match}, {@code min}, {@code max}), set with
 * {@link AttributeOptions#minLength(int)} and its siblings and checked on every value a create, update, upsert or bulk
 * write is given, before any SQL runs. Lengths count a text's code points or a list's elements; {@code match} looks for
 * the pattern anywhere in the text, as Ash's {@code Regex.match?} does (anchor it with {@code ^...$} for the whole).
 * Values computed by the server ({@code Atomic.sql(...)}) are not seen here: declare a check for those.
 */
public final class ValueConstraints {
    /** No constraint. */
    public static final ValueConstraints NONE = new ValueConstraints(null, null, null, null, null);

    private final Integer minLength;
    private final Integer maxLength;
    private final Pattern match;
    private final BigDecimal min;
    private final BigDecimal max;

    ValueConstraints(Integer minLength, Integer maxLength, Pattern match, BigDecimal min, BigDecimal max) {
        this.minLength = minLength;
        this.maxLength = maxLength;
        this.match = match;
        this.min = min;
        this.max = max;
    }

    ValueConstraints withMinLength(int length) {
        return new ValueConstraints(length, maxLength, match, min, max);
    }

    ValueConstraints withMaxLength(int length) {
        return new ValueConstraints(minLength, length, match, min, max);
    }

    ValueConstraints withMatch(String attribute, String regex) {
        if (regex == null) {
            throw DefinitionException.of(null, attribute, "The pattern of '" + attribute + "' is null: give a regular "
                    + "expression, or leave match(...) out");
        }
        try {
            return new ValueConstraints(minLength, maxLength, Pattern.compile(regex), min, max);
        } catch (PatternSyntaxException e) {
            throw DefinitionException.of(null, attribute, "The pattern of '" + attribute + "' is no regular "
                    + "expression: " + e.getDescription() + " in " + regex);
        }
    }

    ValueConstraints withMin(String attribute, Number least) {
        return new ValueConstraints(minLength, maxLength, match, bound(attribute, "min", least), max);
    }

    ValueConstraints withMax(String attribute, Number most) {
        return new ValueConstraints(minLength, maxLength, match, min, bound(attribute, "max", most));
    }

    /** A bound as a BigDecimal; null, NaN and the infinities bound nothing and are refused naming the attribute. */
    private static BigDecimal bound(String attribute, String option, Number bound) {
        if (bound == null || !finite(bound)) {
            throw DefinitionException.of(null, attribute, option + " of '" + attribute + "' must be a finite number, "
                    + "got " + bound + "; leave " + option + "(...) out for no bound");
        }
        return decimal(bound);
    }

    private static boolean finite(Number number) {
        return !(number instanceof Double || number instanceof Float) || Double.isFinite(number.doubleValue());
    }

    private static BigDecimal decimal(Number number) {
        return number instanceof BigDecimal d ? d : new BigDecimal(number.toString());
    }

    /** Whether no constraint is set. */
    public boolean isEmpty() {
        return minLength == null && maxLength == null && match == null && min == null && max == null;
    }

    /**
     * Refuses constraints the attribute's type cannot have: lengths and a pattern need text (a length also a list),
     * bounds need a number, and a converted attribute's values are checked by its converter.
     */
    void check(String attribute, Type type, Converter<?, ?> converter) {
        if (isEmpty()) {
            return;
        }
        String fix = "; the constraints are minLength, maxLength and match for text (a length for a list too), "
                + "min and max for numbers";
        if (converter != null) {
            throw DefinitionException.of(null, attribute, "Attribute '" + attribute + "' has a converter, so its "
                    + "values are checked by the converter's stored(...) rather than by constraints");
        }
        boolean text = type instanceof Type.Text || type == Type.CITEXT;
        if ((minLength != null || maxLength != null) && !text && !(type instanceof Type.Array)
                || match != null && !text) {
            throw DefinitionException.of(null, attribute, "Attribute '" + attribute + "' of type " + type
                    + " cannot have a length or a pattern" + fix);
        }
        if ((min != null || max != null) && !type.isNumber()) {
            throw DefinitionException.of(null, attribute, "Attribute '" + attribute + "' of type " + type
                    + " cannot have a min or a max" + fix);
        }
        if (minLength != null && maxLength != null && minLength > maxLength
                || min != null && max != null && min.compareTo(max) > 0) {
            throw DefinitionException.of(null, attribute, "Attribute '" + attribute + "' has a minimum above its "
                    + "maximum, so no value could be written");
        }
    }

    /**
     * What is wrong with a value given for the attribute, in words that follow its name ("must be at least 3
     * characters long"), or null when it keeps to every constraint or is null (required values are a separate rule).
     */
    public String problem(Object value) {
        if (value == null || isEmpty()) {
            return null;
        }
        if (value instanceof CharSequence || value instanceof Character) {
            String text = value.toString();   // a Character is stored as one-character text, so it is text here too
            String length = length(text.codePointCount(0, text.length()), "characters");
            return length != null ? length : match == null ? null : matchProblem(text);
        }
        if (value instanceof Collection<?> list) {
            return length(list.size(), "elements");
        }
        if (value instanceof Object[] array) {
            return length(array.length, "elements");
        }
        if (value instanceof Number number) {
            return finite(number) ? bounds(decimal(number)) : unbounded(number.doubleValue());
        }
        return null;
    }

    private String matchProblem(String text) {
        try {
            return match.matcher(new CountedText(text)).find() ? null : "must match the pattern " + match.pattern();
        } catch (CountedText.TooCostly e) {
            return "could not be checked against the pattern " + match.pattern() + " within " + CountedText.BUDGET
                    + " steps (a pattern whose repetitions can split a text many ways takes exponential time on some texts): "
                    + "simplify or anchor the pattern, or bound the text with maxLength";
        }
    }

    /**
     * A text that counts the characters a regular expression reads and stops the match past a budget: Java's matcher
     * backtracks, so a pattern like {@code ^((a+)\2?)+$} takes exponential time on some texts, and the texts come from
     * requests.
     */
    private static final class CountedText implements CharSequence {
        static final long BUDGET = 10_000_000;
        private final String text;
        private long reads;

        CountedText(String text) {
            this.text = text;
        }

        @Override
        public char charAt(int index) {
            if (++reads > BUDGET) {
                throw new TooCostly();
            }
            return text.charAt(index);
        }

        @Override
        public int length() {
            return text.length();
        }

        @Override
        public CharSequence subSequence(int start, int end) {
            return text.subSequence(start, end);
        }

        @Override
        public String toString() {
            return text;
        }

        static final class TooCostly extends RuntimeException {
            TooCostly() {
                super(null, null, false, false);
            }
        }
    }

    private String length(int length, String unit) {
        if (minLength != null && length < minLength) {
            return "must have at least " + minLength + " " + unit + ", it has " + length;
        }
        if (maxLength != null && length > maxLength) {
            return "must have at most " + maxLength + " " + unit + ", it has " + length;
        }
        return null;
    }

    private String bounds(BigDecimal number) {
        if (min != null && number.compareTo(min) < 0) {
            return "must be at least " + min.toPlainString() + ", it is " + number.toPlainString();
        }
        if (max != null && number.compareTo(max) > 0) {
            return "must be at most " + max.toPlainString() + ", it is " + number.toPlainString();
        }
        return null;
    }

    /** NaN is within no bounds; an infinity breaks the bound on its side (a double attribute stores all three). */
    private String unbounded(double value) {
        if (Double.isNaN(value)) {
            return min == null && max == null ? null : "must be a number within its bounds, it is NaN";
        }
        if (value < 0) {
            return min == null ? null : "must be at least " + min.toPlainString() + ", it is " + value;
        }
        return max == null ? null : "must be at most " + max.toPlainString() + ", it is " + value;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof ValueConstraints c && Objects.equals(minLength, c.minLength)
                && Objects.equals(maxLength, c.maxLength) && Objects.equals(pattern(), c.pattern())
                && Objects.equals(min, c.min) && Objects.equals(max, c.max);
    }

    private String pattern() {
        return match == null ? null : match.pattern();
    }

    @Override
    public int hashCode() {
        return Objects.hash(minLength, maxLength, pattern(), min, max);
    }

    @Override
    public String toString() {
        return "ValueConstraints[minLength=" + minLength + ", maxLength=" + maxLength + ", match=" + pattern()
                + ", min=" + min + ", max=" + max + "]";
    }
}
