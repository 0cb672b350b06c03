package dev.herald.events;

import java.util.List;

/**
 * The key of a raw record, which decides its partition: where every copy of one webhook must meet for the router to
 * see the retry. The ingest writes each record with it, and the router re-keys any record written with another key,
 * so both must compute it the same way; hence it lives in the contract.
 * <ul>
 * <li>the event's account id when it names exactly one (of at most 200 characters), so that each account's events stay
 * in order;</li>
 * <li>else the sender's id when it sent one ({@code webhook-id}, {@code Idempotency-Key}), which its retries share;</li>
 * <li>else the body's SHA-256, since a sender without ids (Uniskai) retries with the same bytes, while a generated
 * id differs on every copy.</li>
 * </ul>
 */
public final class RawRecordKey {

    static final String BODY_PREFIX = "sha256:";
    /**
     * Cloud account ids are short (AWS 12 digits, Azure and GCP ids well under 100 characters); a longer one keys
     * nothing, as if the event named several: a key as large as the body would double the record past its limit.
     */
    public static final int MAX_ACCOUNT_KEY_LENGTH = 200;

    private RawRecordKey() {
    }

    /**
     * @param accountIds the distinct account ids the event names ({@link UniskaiEvent#accountIds()})
     * @param senderId the id the sender chose, or {@code null} when Herald generated the event's id
     * @param bodySha256 the body's SHA-256 in lower-case hex ({@link EventHeaders#BODY_SHA256})
     */
    public static String of(List<String> accountIds, String senderId, String bodySha256) {
        if (accountIds.size() == 1 && accountIds.get(0).length() <= MAX_ACCOUNT_KEY_LENGTH) {
            return accountIds.get(0);
        }
        return senderId != null ? senderId : BODY_PREFIX + bodySha256;
    }
}
