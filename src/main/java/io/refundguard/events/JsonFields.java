package io.refundguard.events;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Currency;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Typed, strict reads of one JSON object of the contract. Every failure names the field by its
 * path ({@code buyer.identityHash}) and says what was expected, so a platform engineer reading the
 * dead-letter topic can fix the producer without asking us.
 */
final class JsonFields {
    private static final Pattern HEX_64 = Pattern.compile("[0-9a-fA-F]{64}");
    private static final Pattern PLATFORM = Pattern.compile("[a-z0-9][a-z0-9_-]{0,31}");
    private static final Pattern DECIMAL = Pattern.compile("(0|[1-9][0-9]{0,17})(\\.[0-9]{1,8})?");
    private static final int MAX_IDENTIFIER_LENGTH = 128;
    private static final int MAX_TEXT_LENGTH = 2048;

    private final ObjectNode node;
    private final String path;

    private JsonFields(ObjectNode node, String path) {
        this.node = node;
        this.path = path;
    }

    static JsonFields root(JsonNode node) throws InvalidRecordException {
        if (!(node instanceof ObjectNode object)) {
            throw new InvalidRecordException("expected a JSON object, got " + describe(node));
        }
        return new JsonFields(object, "");
    }

    String path(String field) {
        return path.isEmpty() ? field : path + "." + field;
    }

    boolean has(String field) {
        JsonNode value = node.get(field);
        return value != null && !value.isNull();
    }

    /** A platform-chosen identifier: non-empty, bounded, printable. */
    String requiredId(String field) throws InvalidRecordException {
        return checkIdentifier(field, requiredString(field));
    }

    String optionalId(String field) throws InvalidRecordException {
        String value = optionalString(field);
        return value == null ? null : checkIdentifier(field, value);
    }

    String optionalText(String field) throws InvalidRecordException {
        String value = optionalString(field);
        if (value != null && value.length() > MAX_TEXT_LENGTH) {
            throw invalid(field, "longer than " + MAX_TEXT_LENGTH + " characters");
        }
        return value;
    }

    String requiredPlatform(String field) throws InvalidRecordException {
        String value = requiredString(field);
        if (!PLATFORM.matcher(value).matches()) {
            throw invalid(
                    field,
                    "expected a short lower-case platform code like \"tb\" ([a-z0-9_-], at most 32),"
                            + " got \"" + abbreviate(value) + "\"");
        }
        return value;
    }

    /** A 256-bit value in hex (HMAC-SHA256, SHA-256, PDQ), normalised to lower case. */
    String optionalHex256(String field) throws InvalidRecordException {
        String value = optionalString(field);
        if (value == null) {
            return null;
        }
        if (!HEX_64.matcher(value).matches()) {
            throw invalid(field, "expected 64 hex characters, got \"" + abbreviate(value) + "\"");
        }
        return value.toLowerCase(Locale.ROOT);
    }

    <E extends Enum<E>> E requiredEnum(String field, Class<E> type) throws InvalidRecordException {
        String value = requiredString(field);
        try {
            return Enum.valueOf(type, value);
        } catch (IllegalArgumentException e) {
            throw invalid(
                    field,
                    "unknown value \"" + abbreviate(value) + "\"; expected one of "
                            + List.of(type.getEnumConstants()));
        }
    }

    int requiredInt(String field) throws InvalidRecordException {
        JsonNode value = required(field);
        if (!value.isIntegralNumber() || !value.canConvertToInt()) {
            throw invalid(field, "expected an integer, got " + describe(value));
        }
        return value.intValue();
    }

    Integer optionalIntInRange(String field, int min, int max) throws InvalidRecordException {
        if (!has(field)) {
            return null;
        }
        int value = requiredInt(field);
        if (value < min || value > max) {
            throw invalid(field, "expected " + min + ".." + max + ", got " + value);
        }
        return value;
    }

    Boolean optionalBoolean(String field) throws InvalidRecordException {
        if (!has(field)) {
            return null;
        }
        JsonNode value = node.get(field);
        if (!value.isBoolean()) {
            throw invalid(field, "expected true or false, got " + describe(value));
        }
        return value.booleanValue();
    }

    OffsetDateTime requiredTimestamp(String field) throws InvalidRecordException {
        OffsetDateTime value = optionalTimestamp(field);
        if (value == null) {
            throw missing(field);
        }
        return value;
    }

    OffsetDateTime optionalTimestamp(String field) throws InvalidRecordException {
        String value = optionalString(field);
        if (value == null) {
            return null;
        }
        OffsetDateTime parsed = ContractTime.parse(value);
        if (parsed == null) {
            throw invalid(
                    field,
                    "expected ISO-8601 with an offset like \"2026-11-20T10:15:30.123+08:00\", got \""
                            + abbreviate(value) + "\"");
        }
        // Years outside this range are typos or attacks; they would wreck event-time windows.
        if (parsed.getYear() < 2000 || parsed.getYear() > 2200) {
            throw invalid(field, "year " + parsed.getYear() + " is outside 2000..2200");
        }
        return parsed;
    }

    /**
     * A money amount: a decimal string (never a JSON number, whose float parsing loses cents),
     * non-negative, with no more fraction digits than the currency has, at most {@code max}.
     */
    BigDecimal requiredAmount(String field, String currency, BigDecimal max)
            throws InvalidRecordException {
        JsonNode value = required(field);
        if (!value.isTextual()) {
            throw invalid(field, "expected a decimal string like \"129.00\", got " + describe(value));
        }
        String text = value.textValue();
        if (!DECIMAL.matcher(text).matches()) {
            throw invalid(
                    field,
                    "expected a non-negative decimal string like \"129.00\", got \""
                            + abbreviate(text) + "\"");
        }
        BigDecimal amount = new BigDecimal(text);
        int digits = Currency.getInstance(currency).getDefaultFractionDigits();
        if (digits >= 0 && amount.stripTrailingZeros().scale() > digits) {
            throw invalid(field, currency + " has " + digits + " fraction digits, got \"" + text + "\"");
        }
        if (amount.compareTo(max) > 0) {
            throw invalid(field, text + " is above the configured maximum " + max.toPlainString());
        }
        return amount;
    }

    String requiredCurrency(String field) throws InvalidRecordException {
        String value = requiredString(field);
        try {
            if (value.length() == 3 && value.equals(value.toUpperCase(Locale.ROOT))) {
                return Currency.getInstance(value).getCurrencyCode();
            }
        } catch (IllegalArgumentException e) {
            // reported below
        }
        throw invalid(field, "expected an ISO-4217 currency code like \"CNY\", got \"" + abbreviate(value) + "\"");
    }

    JsonFields requiredObject(String field) throws InvalidRecordException {
        JsonFields value = optionalObject(field);
        if (value == null) {
            throw missing(field);
        }
        return value;
    }

    JsonFields optionalObject(String field) throws InvalidRecordException {
        if (!has(field)) {
            return null;
        }
        JsonNode value = node.get(field);
        if (!(value instanceof ObjectNode object)) {
            throw invalid(field, "expected an object, got " + describe(value));
        }
        return new JsonFields(object, path(field));
    }

    /** The elements of an array of objects; a missing array is empty. */
    List<JsonFields> objectArray(String field, int maxElements) throws InvalidRecordException {
        if (!has(field)) {
            return List.of();
        }
        JsonNode value = node.get(field);
        if (!value.isArray()) {
            throw invalid(field, "expected an array, got " + describe(value));
        }
        if (value.size() > maxElements) {
            throw invalid(field, value.size() + " elements; the maximum is " + maxElements);
        }
        List<JsonFields> elements = new ArrayList<>(value.size());
        for (int i = 0; i < value.size(); i++) {
            JsonNode element = value.get(i);
            String elementPath = path(field) + "[" + i + "]";
            if (!(element instanceof ObjectNode object)) {
                throw new InvalidRecordException(elementPath + ": expected an object, got " + describe(element));
            }
            elements.add(new JsonFields(object, elementPath));
        }
        return elements;
    }

    List<String> optionalTextArray(String field, int maxElements) throws InvalidRecordException {
        if (!has(field)) {
            return null;
        }
        JsonNode value = node.get(field);
        if (!value.isArray()) {
            throw invalid(field, "expected an array of strings, got " + describe(value));
        }
        if (value.size() > maxElements) {
            throw invalid(field, value.size() + " elements; the maximum is " + maxElements);
        }
        List<String> elements = new ArrayList<>(value.size());
        for (int i = 0; i < value.size(); i++) {
            JsonNode element = value.get(i);
            if (!element.isTextual()) {
                throw invalid(field + "[" + i + "]", "expected a string, got " + describe(element));
            }
            elements.add(checkText(field + "[" + i + "]", element.textValue()));
        }
        return List.copyOf(elements);
    }

    /**
     * Binary data as standard base64 (RFC 4648, padded, no line breaks), at most {@code maxBytes}
     * decoded. The length is checked before decoding, so an oversized field costs nothing.
     */
    byte[] requiredBase64(String field, int maxBytes) throws InvalidRecordException {
        JsonNode value = required(field);
        if (!value.isTextual()) {
            throw invalid(field, "expected a base64 string, got " + describe(value));
        }
        String text = value.textValue();
        long maxChars = 4L * ((maxBytes + 2) / 3);
        if (text.length() > maxChars) {
            throw invalid(field, text.length() + " base64 characters; at most " + maxChars + " (" + maxBytes
                    + " bytes) are accepted");
        }
        try {
            return java.util.Base64.getDecoder().decode(text);
        } catch (IllegalArgumentException e) {
            throw invalid(field, "not valid base64 (" + e.getMessage() + ")");
        }
    }

    InvalidRecordException missing(String field) {
        return new InvalidRecordException(path(field) + ": required field is missing");
    }

    InvalidRecordException invalid(String field, String what) {
        return new InvalidRecordException(path(field) + ": " + what);
    }

    private JsonNode required(String field) throws InvalidRecordException {
        if (!has(field)) {
            throw missing(field);
        }
        return node.get(field);
    }

    private String requiredString(String field) throws InvalidRecordException {
        String value = optionalString(field);
        if (value == null) {
            throw missing(field);
        }
        return value;
    }

    private String optionalString(String field) throws InvalidRecordException {
        if (!has(field)) {
            return null;
        }
        JsonNode value = node.get(field);
        if (!value.isTextual()) {
            throw invalid(field, "expected a string, got " + describe(value));
        }
        return checkText(field, value.textValue());
    }

    /** JSON escapes can smuggle in lone UTF-16 surrogates, which are not text in any encoding. */
    private String checkText(String field, String value) throws InvalidRecordException {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (Character.isHighSurrogate(c)) {
                if (i + 1 < value.length() && Character.isLowSurrogate(value.charAt(i + 1))) {
                    i++;
                    continue;
                }
                throw invalid(field, "contains a lone UTF-16 surrogate at index " + i);
            }
            if (Character.isLowSurrogate(c)) {
                throw invalid(field, "contains a lone UTF-16 surrogate at index " + i);
            }
        }
        return value;
    }

    private String checkIdentifier(String field, String value) throws InvalidRecordException {
        if (value.isEmpty()) {
            throw invalid(field, "must not be empty");
        }
        if (value.length() > MAX_IDENTIFIER_LENGTH) {
            throw invalid(field, "longer than " + MAX_IDENTIFIER_LENGTH + " characters");
        }
        for (int i = 0; i < value.length(); i++) {
            if (Character.isISOControl(value.charAt(i))) {
                throw invalid(field, "contains a control character at index " + i);
            }
        }
        return value;
    }

    static String describe(JsonNode node) {
        if (node == null || node.isMissingNode()) {
            return "nothing";
        }
        return switch (node.getNodeType()) {
            case ARRAY -> "an array";
            case OBJECT -> "an object";
            case STRING -> "a string";
            case NUMBER -> "a number";
            case BOOLEAN -> "a boolean";
            case NULL -> "null";
            default -> node.getNodeType().name().toLowerCase(Locale.ROOT);
        };
    }

    static String abbreviate(String value) {
        // C1 controls and the Unicode line separators break lines too, in some readers.
        String printable = value.replaceAll("[\\p{Cntrl}\\u0080-\\u009F\\u2028\\u2029]", "?");
        return printable.length() <= 40 ? printable : printable.substring(0, 40) + "…";
    }
}
