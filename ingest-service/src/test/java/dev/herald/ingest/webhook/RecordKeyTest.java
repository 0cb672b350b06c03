package dev.herald.ingest.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class RecordKeyTest {

    private static final String HASH = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08";

    @Test
    void anEventNamingOneAccountIsKeyedByItSoThatAccountsEventsStayInOrder() {
        assertThat(RecordKey.of(List.of("12345678"), EventId.generated(), HASH)).isEqualTo("12345678");
    }

    @Test
    void otherwiseTheSendersIdKeysItSoThatItsRetriesMeetIt() {
        EventId fromSender = EventId.fromHeaders("msg_1", null).orElseThrow();

        assertThat(RecordKey.of(List.of(), fromSender, HASH)).isEqualTo("msg_1");
        assertThat(RecordKey.of(List.of("1", "2"), fromSender, HASH)).isEqualTo("msg_1");
    }

    @Test
    void withoutASendersIdTheBodyKeysItWhateverIdWasGenerated() {
        String first = RecordKey.of(List.of(), EventId.generated(), HASH);
        String retry = RecordKey.of(List.of(), EventId.generated(), HASH);

        assertThat(first).isEqualTo(retry).isEqualTo("sha256:" + HASH);
        assertThat(RecordKey.of(List.of("1", "2"), EventId.generated(), HASH)).isEqualTo(first);
    }
}
