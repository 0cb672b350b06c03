package dev.herald.notifier.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.junit.jupiter.api.Test;

/** Only a refusal of the records themselves is worth splitting a batch or dead-lettering a record for. */
class RecordRefusalTest {

    @Test
    void aRecordTooLargeIsTheRecordsFaultEvenWrapped() {
        assertThat(RecordRefusal.causedByTheRecords(new KafkaException(new RecordTooLargeException("too large")))).isTrue();
    }

    @Test
    void itsReasonIsKafkasRefusalNotTheTransactionsErrorState() {
        KafkaException commit = new KafkaException("Cannot execute transactional method because we are in an error state",
                new RecordTooLargeException("The message is 2097550 bytes when serialized"));
        assertThat(RecordRefusal.reason(commit)).isEqualTo("The message is 2097550 bytes when serialized");
        assertThat(RecordRefusal.reason(new TimeoutException("slow"))).isEqualTo("slow");
    }

    @Test
    void timeoutsAndMissingRightsAreNot() {
        assertThat(RecordRefusal.causedByTheRecords(new TimeoutException("slow"))).isFalse();
        assertThat(RecordRefusal.causedByTheRecords(new KafkaException(new TopicAuthorizationException("no ACL")))).isFalse();
    }
}
