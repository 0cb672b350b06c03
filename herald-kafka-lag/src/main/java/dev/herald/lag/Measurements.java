package dev.herald.lag;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.ToDoubleFunction;
import org.jboss.logging.Logger;

/**
 * The latest measurement of each key, taken again every {@code interval} on a thread of its own. A key that has not
 * been measured yet, or whose last measurement failed, has no value and its gauges read NaN: an alert must not take
 * "Kafka could not be asked" for "nothing to do", nor for the last answer Kafka gave.
 */
final class Measurements<K, V> implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(Measurements.class);

    /** Measures one key; throws when it cannot. Closed after the last measurement. */
    interface Measure<K, V> extends AutoCloseable {

        V of(K key) throws Exception;

        @Override
        default void close() {
        }
    }

    private final List<K> keys;
    private final Measure<K, V> measure;
    private final Map<K, V> latest = new ConcurrentHashMap<>();
    private final ScheduledExecutorService timer;

    Measurements(List<K> keys, Measure<K, V> measure, Duration interval, String threadName) {
        this.keys = List.copyOf(keys);
        this.measure = measure;
        this.timer = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, threadName);
            thread.setDaemon(true);
            return thread;
        });
        timer.scheduleWithFixedDelay(this::refresh, 0, interval.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** {@code value} of the key's latest measurement; NaN when there is none. */
    double value(K key, ToDoubleFunction<V> value) {
        V measured = latest.get(key);
        return measured == null ? Double.NaN : value.applyAsDouble(measured);
    }

    private void refresh() {
        for (K key : keys) {
            try {
                latest.put(key, measure.of(key));
            } catch (Exception e) {
                if (e instanceof InterruptedException || Thread.currentThread().isInterrupted()) {
                    // close() stopped the timer (Kafka's clients throw their own InterruptException); it forgets every value.
                    Thread.currentThread().interrupt();
                    return;
                }
                if (latest.remove(key) != null) {
                    LOG.warnf("Cannot measure %s any more, reporting NaN until it can be: %s", key, e.toString());
                } else {
                    LOG.debugf("Cannot measure %s: %s", key, e.toString());
                }
            }
        }
    }

    @Override
    public void close() {
        timer.shutdownNow();
        try {
            timer.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        latest.clear();
        measure.close();
    }
}
