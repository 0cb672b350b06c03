package dev.herald.ingest.webhook;

import dev.herald.events.RawRecordKey;
import java.util.List;

/**
 * The raw record's key, which decides its partition, and so where the router's deduplication sees it: the
 * contract's {@link RawRecordKey}, from what the ingest knows of the request. A retry gets the key its original got
 * (the same account, the same sender id, or the same body), whatever id was generated for it.
 */
final class RecordKey {

    private RecordKey() {
    }

    static String of(List<String> accounts, EventId id, String bodySha256) {
        return RawRecordKey.of(accounts, id.fromSender() ? id.value() : null, bodySha256);
    }
}
