package dev.herald.notifier.channel.email;

/**
 * Text from a payload made safe for a mail header: no CR, LF or other control character reaches the header (so no
 * "Bcc:" can be injected), whitespace collapsed, length bounded.
 */
final class MailHeaderText {

    static final int MAX_LENGTH = 200;

    private MailHeaderText() {
    }

    /**
     * Every control character (U+0000 to U+001F, U+007F), U+0085 and the line and paragraph separators becomes a
     * space, runs of spaces become one, and none is left at either end. One pass, no regular expression: it runs for
     * every email, three times.
     */
    static String clean(String text) {
        String cleaned = isClean(text) ? text : rebuilt(text);
        return cleaned.length() > MAX_LENGTH ? cleaned.substring(0, MAX_LENGTH - 1) + "…" : cleaned;
    }

    private static String rebuilt(String text) {
        StringBuilder cleaned = new StringBuilder(text.length());
        boolean spaceBefore = false;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == ' ' || breaksAHeader(c)) {
                spaceBefore = cleaned.length() > 0;
            } else {
                if (spaceBefore) {
                    cleaned.append(' ');
                    spaceBefore = false;
                }
                cleaned.append(c);
            }
        }
        return cleaned.toString();
    }

    /** Nothing to change (an event id, a type): no control character, no space at either end or twice in a row. */
    private static boolean isClean(String text) {
        if (text.isEmpty()) {
            return true;
        }
        if (text.charAt(0) == ' ' || text.charAt(text.length() - 1) == ' ') {
            return false;
        }
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (breaksAHeader(c) || (c == ' ' && text.charAt(i - 1) == ' ')) {
                return false;
            }
        }
        return true;
    }

    private static boolean breaksAHeader(char c) {
        return c < 0x20 || c == 0x7F || c == 0x85 || c == '\u2028' || c == '\u2029';
    }
}
