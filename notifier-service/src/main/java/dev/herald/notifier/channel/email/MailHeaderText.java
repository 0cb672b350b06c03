package dev.herald.notifier.channel.email;

/**
 * Text from a payload made safe for a mail header: no CR, LF or other control character reaches the header (so no
 * "Bcc:" can be injected), whitespace collapsed, length bounded.
 */
final class MailHeaderText {

    static final int MAX_LENGTH = 200;

    private MailHeaderText() {
    }

    static String clean(String text) {
        String cleaned = text.replaceAll("[\\p{Cntrl}\\u2028\\u2029\\u0085]", " ").replaceAll("\\s+", " ").trim();
        return cleaned.length() > MAX_LENGTH ? cleaned.substring(0, MAX_LENGTH - 1) + "…" : cleaned;
    }
}
