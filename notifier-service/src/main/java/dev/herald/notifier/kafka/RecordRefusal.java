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
        return refusal(error) != null;
    }

    /**
     * What Kafka said about the records (a transaction's commit reports only that it is "in an error state"; the
     * refusal is its cause), or the error's own message when the records were not refused.
     */
    public static String reason(Throwable error) {
        Throwable refusal = refusal(error);
        return (refusal != null ? refusal : error).getMessage();
    }

    private static Throwable refusal(Throwable error) {
        for (Throwable cause = error; cause != null; cause = cause.getCause() == cause ? null : cause.getCause()) {
            if (cause instanceof RecordTooLargeException || cause instanceof InvalidRecordException
                    || cause instanceof RecordBatchTooLargeException) {
                return cause;
            }
        }
        return null;
    }
}
