package dev.herald.notifier.delivery;

import java.util.Optional;

/**
 * A done mark's value: which offset of the co-numbered deliveries partition is done, and how ({@code sent},
 * {@code folded}, {@code retried}, {@code dead}). The key is the delivery id, for people reading the topic.
 */
record DoneMark(long offset, String outcome) {

    static String encode(long offset, String outcome) {
        return offset + " " + outcome;
    }

    static Optional<DoneMark> decode(byte[] value) {
        if (value == null) {
            return Optional.empty();
        }
        String text = new String(value, java.nio.charset.StandardCharsets.UTF_8);
        int space = text.indexOf(' ');
        try {
            return Optional.of(new DoneMark(Long.parseLong(space < 0 ? text : text.substring(0, space)),
                    space < 0 ? "" : text.substring(space + 1)));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }
}
