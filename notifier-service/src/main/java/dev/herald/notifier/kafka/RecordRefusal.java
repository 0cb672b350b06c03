package dev.herald.notifier.kafka;

import org.apache.kafka.common.InvalidRecordException;
import org.apache.kafka.common.errors.RecordBatchTooLargeException;
import org.apache.kafka.common.errors.RecordTooLargeException;

/**
 * Whether Kafka refused a write because of the records themselves (too large, invalid): writing the same records
 * again would meet the same refusal. Authorization, fencing and timeouts are not the records' fault.
 */
public final class RecordRefusal {

    private RecordRefusal() {
    }

    public static boolean causedByTheRecords(Throwable error) {
        for (Throwable cause = error; cause != null; cause = cause.getCause() == cause ? null : cause.getCause()) {
            if (cause instanceof RecordTooLargeException || cause instanceof InvalidRecordException
                    || cause instanceof RecordBatchTooLargeException) {
                return true;
            }
        }
        return false;
    }
}
