package dev.herald.notifier.channel.email;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class MailHeaderTextTest {

    /** What the header text must be: the rule as regular expressions, the way it was first written. */
    private static String byTheRule(String text) {
        String cleaned = text.replaceAll("[\\p{Cntrl}\\u2028\\u2029\\u0085]", " ").replaceAll("\\s+", " ").trim();
        return cleaned.length() > MailHeaderText.MAX_LENGTH ? cleaned.substring(0, MailHeaderText.MAX_LENGTH - 1) + "…"
                : cleaned;
    }

    @Test
    void noLineBreakOrControlCharacterReachesAHeader() {
        assertThat(MailHeaderText.clean("Nightly\r\nBcc: victim@example.com")).isEqualTo("Nightly Bcc: victim@example.com");
        assertThat(MailHeaderText.clean("a\u2028b\u2029c\u0085d\u007fe\u0000f\tg")).isEqualTo("a b c d e f g");
        assertThat(MailHeaderText.clean("  spaced   out  ")).isEqualTo("spaced out");
        assertThat(MailHeaderText.clean("\r\n")).isEmpty();
        assertThat(MailHeaderText.clean("x".repeat(300))).hasSize(MailHeaderText.MAX_LENGTH).endsWith("…");
    }

    @Test
    void cleanTextIsKeptAsItIs() {
        String id = "evt_01J9ZJ4Q3B8X";
        assertThat(MailHeaderText.clean(id)).isSameAs(id);
        assertThat(MailHeaderText.clean("")).isEmpty();
    }

    @Test
    void anyTextComesOutAsTheRuleSays() {
        char[] alphabet = {'a', 'Z', '0', ' ', ' ', '\t', '\r', '\n', '\u000b', '\f', '\u0000', '\u001f', '\u007f',
                '\u0085', '\u00a0', '\u2028', '\u2029', '\u3000', 'é', '…', ':'};
        SplittableRandom random = new SplittableRandom(7);
        for (int i = 0; i < 50_000; i++) {
            StringBuilder text = new StringBuilder();
            int length = random.nextInt(i % 100 == 0 ? 400 : 12);
            for (int j = 0; j < length; j++) {
                text.append(alphabet[random.nextInt(alphabet.length)]);
            }
            assertThat(MailHeaderText.clean(text.toString())).as("%s", text).isEqualTo(byTheRule(text.toString()));
        }
    }
}
