package dev.herald.events;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class RawRecordKeyTest {

    private static final String HASH = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08";

    @Test
    void anEventNamingOneAccountIsKeyedByItSoThatTheAccountsEventsStayInOrder() {
        assertThat(RawRecordKey.of(List.of("12345678"), null, HASH)).isEqualTo("12345678");
        assertThat(RawRecordKey.of(List.of("12345678"), "msg_1", HASH)).isEqualTo("12345678");
    }

    @Test
    void otherwiseTheSendersIdKeysItSoThatItsRetriesMeetIt() {
        assertThat(RawRecordKey.of(List.of(), "msg_1", HASH)).isEqualTo("msg_1");
        assertThat(RawRecordKey.of(List.of("1", "2"), "msg_1", HASH)).isEqualTo("msg_1");
    }

    @Test
    void anAccountIdNoCloudGivesKeysNothing() {
        String huge = "9".repeat(600_000);
        assertThat(RawRecordKey.of(List.of(huge), "msg_1", HASH)).isEqualTo("msg_1");
        assertThat(RawRecordKey.of(List.of(huge), null, HASH)).isEqualTo("sha256:" + HASH);
        assertThat(RawRecordKey.of(List.of("a".repeat(200)), null, HASH)).isEqualTo("a".repeat(200));
    }

    @Test
    void withoutASendersIdTheBodyKeysIt() {
        assertThat(RawRecordKey.of(List.of(), null, HASH)).isEqualTo("sha256:" + HASH);
        assertThat(RawRecordKey.of(List.of("1", "2"), null, HASH)).isEqualTo("sha256:" + HASH);
    }
}
