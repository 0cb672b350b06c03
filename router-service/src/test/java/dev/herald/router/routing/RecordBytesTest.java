package dev.herald.router.routing;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.MemoryRecords;
import org.apache.kafka.common.record.SimpleRecord;
import org.junit.jupiter.api.Test;

/** The estimate is never below what Kafka's record format makes of the same record, in a batch of its own. */
class RecordBytesTest {

    @Test
    void manyEmptyHeadersCountWhatTheyCost() {
        RecordHeaders headers = new RecordHeaders();
        for (int i = 0; i < 10_000; i++) {
            headers.add("", null);
        }
        assertAtLeastKafkasSize("k", new byte[0], headers);
        assertThat(RecordBytes.of("k", new byte[0], headers)).isGreaterThanOrEqualTo(20_000);
    }

    @Test
    void aKeyOfCharactersOutsideAsciiAndLongValues() {
        RecordHeaders headers = new RecordHeaders();
        headers.add("ce_id", "é".repeat(300).getBytes(StandardCharsets.UTF_8));
        headers.add("ü".repeat(100), new byte[70_000]);
        assertAtLeastKafkasSize("schlüssel-\uD83D\uDE00".repeat(50), new byte[1_000_000], headers);
    }

    @Test
    void noKeyNoValueNoHeaders() {
        assertAtLeastKafkasSize(null, null, new RecordHeaders());
    }

    private static void assertAtLeastKafkasSize(String key, byte[] value, RecordHeaders headers) {
        Header[] array = headers.toArray();
        int kafka = MemoryRecords.withRecords(Compression.NONE, new SimpleRecord(System.currentTimeMillis(),
                key == null ? null : key.getBytes(StandardCharsets.UTF_8), value, array)).sizeInBytes();
        assertThat(RecordBytes.of(key, value, headers)).isGreaterThanOrEqualTo(kafka);
    }
}
