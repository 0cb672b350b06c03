package dev.herald.notifier.channel.slack;

/**
 * Payload strings made harmless for Slack. {@code &}, {@code <} and {@code >} are escaped everywhere, so
 * {@code <!channel>} or {@code <https://evil|click>} in a name is shown, never acted on. In mrkdwn text (the
 * notification fallback) a zero-width space follows each of {@code * _ ~ `}, so a name cannot bold, strike or
 * code-format the message around it.
 */
final class SlackText {

    private static final char ZERO_WIDTH_SPACE = '\u200B';

    private SlackText() {
    }

    /** For plain_text objects and as the base of everything else. */
    static String escape(String text) {
        if (text == null) {
            return "";
        }
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }

    /** For mrkdwn text. */
    static String escapeMrkdwn(String text) {
        StringBuilder escaped = new StringBuilder();
        for (char c : escape(text).toCharArray()) {
            escaped.append(c);
            if (c == '*' || c == '_' || c == '~' || c == '`') {
                escaped.append(ZERO_WIDTH_SPACE);
            }
        }
        return escaped.toString();
    }

    /** Cuts text to {@code max} characters, saying so, for Slack's per-field limits. */
    static String fit(String text, int max) {
        if (text.length() <= max) {
            return text;
        }
        String marker = "… (" + (text.length() - max) + " more characters)";
        return text.substring(0, Math.max(0, max - marker.length())) + marker;
    }
}
