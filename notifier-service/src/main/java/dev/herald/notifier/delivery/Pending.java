package dev.herald.notifier.delivery;

import dev.herald.events.UniskaiEvent;
import dev.herald.notifier.route.FoldRule;
import java.time.Instant;
import java.util.Optional;

/**
 * A delivery record read from the deliveries topic and not done yet: waiting in its destination's lane, being sent,
 * or being written. {@code assignment} and {@code offset} say which record it is; {@code fold}, the rule of the route
 * that sent it, if that route folds bursts; {@code notBefore}, when it may go (never later than max-backoff from
 * when it was read, whatever its header says).
 */
record Pending(Assignment assignment, long offset, Delivery delivery, UniskaiEvent event, Optional<FoldRule> fold,
        int bytes, Instant notBefore) {

    int partition() {
        return assignment.partition();
    }
}
