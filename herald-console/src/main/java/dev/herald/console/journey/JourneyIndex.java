package dev.herald.console.journey;

import dev.herald.events.EventHeaders;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import org.jboss.logging.Logger;
import java.util.function.Consumer;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.rocksdb.BlockBasedTableConfig;
import org.rocksdb.BloomFilter;
import org.rocksdb.CompressionType;
import org.rocksdb.FlushOptions;
import org.rocksdb.InfoLogLevel;
import org.rocksdb.LRUCache;
import org.rocksdb.Options;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;
import org.rocksdb.WriteBatch;
import org.rocksdb.WriteOptions;

/**
 * Every event's journey by id, on disk, with an index of event ids by the time they were accepted (a search by time
 * range reads only that range), one by the time each journey last moved (what retention lets go first), and the
 * journeys with a dead letter. Filled from Herald's topics by {@link TopicFollower}, which reads them from their
 * beginning at each start: the store is RocksDB, the embedded store Kafka Streams keeps its state in, emptied when
 * the console starts and never written anywhere else, so Kafka stays the only storage. The journeys' number is bounded
 * by the topics' retention and the disk, not by the heap: RocksDB keeps a small cache in memory, the rest on disk.
 *
 * <p>Keys: {@code j/<event id>} → the journey ({@link JourneyCodec}); {@code t/<accepted, 13-digit epoch
 * millis>/<event id>} → its type and account ids (NUL-separated) when that step is its acceptance, so a search
 * reads only the journeys it finds (empty for a router dead letter seen first);
 * {@code n/<newest step's millis>/<event id>} and {@code d/<event id>} → empty; {@code b/<body SHA-256>/<event id>} →
 * its acceptance's epoch millis, for an event accepted without the sender's id: its copies (a sender without ids
 * retries with the same bytes) get other ids, and the router routes only the first within its body window, so the
 * others' journeys name it ({@link #routedCopyOf}).
 *
 * <p>Besides the retention, a budget of stored bytes ({@link #forgetToFit}) keeps the index within its volume when the
 * topics keep their records for good, or keep more than was planned for: the journeys that moved least recently go
 * first, those with a dead letter last.
 */
public final class JourneyIndex implements AutoCloseable {

    /** A search: every criterion optional. */
    public record Criteria(String type, String account, Instant from, Instant to, int limit) {
    }

    private static final Logger LOG = Logger.getLogger(JourneyIndex.class);
    private static final byte[] EMPTY = new byte[0];
    /** The file that makes a directory the console's index: made first, deleted last, so a half-wiped one still is. */
    private static final String MARK = "herald-console-index";
    private static final int MAX_COPIES_READ = 20;
    private static final int MAX_COPIES_SCANNED = 10_000;
    private static final java.util.regex.Pattern SHA256_HEX = java.util.regex.Pattern.compile("[0-9a-f]{64}");

    static {
        RocksDB.loadLibrary();
    }

    private final Path directory;
    private final Options options;
    private final LRUCache cache;
    private final WriteOptions writes;
    private final RocksDB db;
    private final AtomicLong size = new AtomicLong();
    /** The stored journeys' bytes, before RocksDB compresses them: what {@link #forgetToFit} budgets. */
    private final AtomicLong storedBytes = new AtomicLong();
    /** Journeys let go while marks are kept ({@link #forgetToFit}): their later steps are dropped until cleared. */
    private final AtomicLong marked = new AtomicLong();
    /** Writers (the follower, a replay) one at a time; readers share, and none runs once it is closed. */
    private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
    private final Object writer = new Object();
    private boolean closed;

    private JourneyIndex(Path directory) throws RocksDBException {
        this.directory = directory;
        // Off the heap: a 32 MiB cache, index and filter blocks counted in it, and two 16 MiB write buffers.
        this.cache = new LRUCache(32L << 20);
        this.options = new Options().setCreateIfMissing(true).setWriteBufferSize(16L << 20).setMaxWriteBufferNumber(2)
                .setCompressionType(CompressionType.LZ4_COMPRESSION)
                .setInfoLogLevel(InfoLogLevel.WARN_LEVEL).setMaxLogFileSize(1L << 20).setKeepLogFileNum(2)
                .setTableFormatConfig(new BlockBasedTableConfig().setBlockCache(cache).setCacheIndexAndFilterBlocks(true)
                        .setPinL0FilterAndIndexBlocksInCache(true).setFilterPolicy(new BloomFilter(10)));
        // Rebuilt from the topics at each start: a write-ahead log would only slow the first read down.
        this.writes = new WriteOptions().setDisableWAL(true);
        options.setAvoidFlushDuringShutdown(true);
        try {
            this.db = RocksDB.open(options, directory.resolve("rocksdb").toString());
        } catch (RocksDBException e) {
            writes.close();
            options.close();
            cache.close();
            throw e;
        }
    }

    /**
     * An empty index in {@code directory}, whatever an earlier index left there. Fails when another console uses it
     * (RocksDB locks it), and when it holds anything but an index: it is emptied, so it must be the index's own.
     */
    public static JourneyIndex open(Path directory) {
        try {
            if (Files.exists(directory) && (!Files.isDirectory(directory)
                    || !isEmpty(directory) && !Files.exists(directory.resolve(MARK)))) {
                throw new IllegalStateException(directory + " is not a journey index (no " + MARK + " in it); the console"
                        + " empties its index directory at each start, so give it one of its own (herald.console.index-dir)");
            }
            Path store = directory.resolve("rocksdb");
            if (Files.exists(store.resolve("LOCK"))) {
                // Opening first takes RocksDB's lock: a directory another running console uses is never wiped.
                try (Options probe = new Options(); RocksDB other = RocksDB.open(probe, store.toString())) {
                    other.getLatestSequenceNumber();
                } catch (RocksDBException e) {
                    if (String.valueOf(e.getMessage()).contains(store.resolve("LOCK").toString())) {
                        throw e;
                    }
                    // Whatever else an earlier run left (a crash mid-write, a corrupt file) is wiped below.
                }
            }
            wipe(directory);
            Files.createDirectories(directory);
            Files.writeString(directory.resolve(MARK), "Herald console's journey index: emptied at each start.\n");
            return new JourneyIndex(directory);
        } catch (RocksDBException e) {
            throw new IllegalStateException("cannot open the journey index in " + directory + " (" + e.getMessage()
                    + "); is another console using it? Give each its own herald.console.index-dir", e);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare the journey index in " + directory, e);
        }
    }

    public void add(Step step) {
        lock.readLock().lock();
        try {
            open();
            synchronized (writer) {
                if (marked.get() > 0 && db.get(key("f/", step.eventId())) != null) {
                    return; // let go during the first read: a later step alone would be a misleading fragment
                }
                byte[] id = key("j/", step.eventId());
                byte[] stored = db.get(id);
                Journey before = stored == null ? Journey.of(step.eventId()) : readBack(stored, step.eventId());
                Journey after = before.with(step);
                if (stored != null && after == before) {
                    return;
                }
                byte[] encoded = JourneyCodec.encode(after);
                try (WriteBatch batch = new WriteBatch()) {
                    batch.put(id, encoded);
                    if (stored != null) {
                        batch.delete(timeKey("n/", newest(before), step.eventId()));
                    }
                    batch.put(timeKey("n/", newest(after), step.eventId()), EMPTY);
                    if (step.kind() == Step.Kind.ACCEPTED) {
                        batch.put(timeKey("t/", step.at(), step.eventId()), bytes(facts(step)));
                        Optional<String> sha = bodyOfGeneratedId(step);
                        if (sha.isPresent()) {
                            batch.put(bodyKey(sha.get(), step.eventId()),
                                    bytes(String.valueOf(step.at() == null ? 0 : step.at().toEpochMilli())));
                        }
                    } else if (step.kind() == Step.Kind.ROUTER_DEAD_LETTER && after.accepted().isEmpty()) {
                        batch.put(timeKey("t/", step.at(), step.eventId()), EMPTY);
                    }
                    if (hasDeadLetter(after)) {
                        batch.put(key("d/", step.eventId()), EMPTY);
                    }
                    db.write(writes, batch);
                }
                if (stored == null) {
                    size.incrementAndGet();
                }
                storedBytes.addAndGet(encoded.length - (stored == null ? 0 : stored.length));
            }
        } catch (RocksDBException e) {
            throw new IllegalStateException("the journey index refused a write: " + e.getMessage(), e);
        } finally {
            lock.readLock().unlock();
        }
    }

    public Optional<Journey> journey(String eventId) {
        lock.readLock().lock();
        try {
            open();
            byte[] stored = db.get(key("j/", eventId));
            return stored == null ? Optional.empty() : Optional.of(JourneyCodec.decode(stored));
        } catch (RocksDBException e) {
            throw new IllegalStateException("the journey index did not answer: " + e.getMessage(), e);
        } finally {
            lock.readLock().unlock();
        }
    }

    /** The newest first. */
    public List<Journey> search(Criteria criteria) {
        String from = timeText("t/", criteria.from() == null ? Instant.EPOCH : criteria.from(), "");
        // Every key of the last millisecond sorts below the next millisecond's "t/<millis>/".
        String to = timeText("t/", (criteria.to() == null ? Instant.now().plus(Duration.ofDays(1)) : criteria.to()).plusMillis(1), "");
        Predicate<Journey> matches = journey -> (blank(criteria.type()) || criteria.type().equals(journey.type()))
                && (blank(criteria.account()) || journey.accountIds().contains(criteria.account()));
        List<Journey> found = new ArrayList<>();
        // An event the router dead-lettered may be indexed twice: at its dead letter, read first, and at acceptance.
        Set<String> seen = new HashSet<>();
        lock.readLock().lock();
        try (RocksIterator entries = open().newIterator()) {
            for (entries.seekForPrev(bytes(to)); entries.isValid(); entries.prev()) {
                String key = text(entries.key());
                if (key.compareTo(from) < 0 || key.compareTo(to) >= 0) {
                    break;
                }
                String eventId = key.substring("t/".length() + 14);
                // An acceptance's entry has its type and accounts: the others are skipped without reading the journey.
                List<String> facts = List.of(text(entries.value()).split("\0", -1));
                boolean elsewhere = facts.size() > 1 && (!blank(criteria.type()) && !criteria.type().equals(facts.get(0))
                        || !blank(criteria.account()) && !facts.subList(1, facts.size()).contains(criteria.account()));
                if (!elsewhere && seen.add(eventId)) {
                    readable(eventId).filter(matches).ifPresent(found::add);
                    if (found.size() >= criteria.limit()) {
                        break;
                    }
                }
            }
            return found;
        } finally {
            lock.readLock().unlock();
        }
    }

    /** Events accepted since {@code since}, counted by type. */
    public NavigableMap<String, Long> acceptedByType(Instant since) {
        NavigableMap<String, Long> counts = new TreeMap<>();
        Set<String> seen = new HashSet<>();
        lock.readLock().lock();
        try (RocksIterator entries = open().newIterator()) {
            for (entries.seek(bytes(timeText("t/", since, ""))); entries.isValid(); entries.next()) {
                String key = text(entries.key());
                if (!key.startsWith("t/")) {
                    break;
                }
                String value = text(entries.value());
                String type = value.split("\0", -1)[0];
                if (!value.isEmpty() && seen.add(key.substring("t/".length() + 14))) {
                    counts.merge(type, 1L, Long::sum);
                }
            }
            return counts;
        } finally {
            lock.readLock().unlock();
        }
    }

    /**
     * Hands each journey with a dead letter in it to {@code action}, one at a time, so that only the one at hand is in
     * the heap (bodies included), and no lock is held while {@code action} runs.
     */
    public void forEachWithDeadLetter(Consumer<Journey> action) {
        for (String eventId : eventIdsWithDeadLetter()) {
            readable(eventId).ifPresent(action);
        }
    }

    /** The ids of the journeys with a dead letter in them, without reading the journeys. */
    public List<String> eventIdsWithDeadLetter() {
        List<String> ids = new ArrayList<>();
        lock.readLock().lock();
        try (RocksIterator entries = open().newIterator()) {
            for (entries.seek(bytes("d/")); entries.isValid(); entries.next()) {
                String key = text(entries.key());
                if (!key.startsWith("d/")) {
                    break;
                }
                ids.add(key.substring("d/".length()));
            }
            return ids;
        } finally {
            lock.readLock().unlock();
        }
    }

    /**
     * For a journey accepted without the sender's id and neither routed nor dead-lettered by the router: the id of
     * another event with the same body, accepted within {@code window} of it (the router's
     * {@code herald.router.body-dedup-window}), that the router routed. The router drops such a copy, so this journey
     * would otherwise read "not routed yet" for good. A same body outside the window is another event: none.
     */
    public Optional<String> routedCopyOf(Journey journey, Duration window) {
        if (journey.routed().isPresent() || journey.routerDeadLetter().isPresent()) {
            return Optional.empty();
        }
        Optional<Step> accepted = journey.accepted();
        Optional<String> sha = accepted.flatMap(JourneyIndex::bodyOfGeneratedId);
        if (sha.isEmpty() || accepted.get().at() == null) {
            return Optional.empty();
        }
        long at = accepted.get().at().toEpochMilli();
        String prefix = "b/" + sha.get() + "/";
        List<String> candidates = new ArrayList<>();
        lock.readLock().lock();
        try (RocksIterator entries = open().newIterator()) {
            // Each entry holds its acceptance time, so only the copies within the window are read back; a body sent
            // thousands of times is not read back thousands of times for one page.
            int scanned = 0;
            for (entries.seek(bytes(prefix)); entries.isValid() && scanned++ < MAX_COPIES_SCANNED
                    && candidates.size() < MAX_COPIES_READ; entries.next()) {
                String key = text(entries.key());
                if (!key.startsWith(prefix)) {
                    break;
                }
                String eventId = key.substring(prefix.length());
                long copyAt = Long.parseLong(text(entries.value()));
                if (!eventId.equals(journey.eventId()) && Math.abs(copyAt - at) <= window.toMillis()) {
                    candidates.add(eventId);
                }
            }
        } finally {
            lock.readLock().unlock();
        }
        return candidates.stream().filter(id -> readable(id).flatMap(Journey::routed).isPresent()).findFirst();
    }

    /** The journey, or empty (logged) when it cannot be read back: one journey never fails a whole page. */
    private Optional<Journey> readable(String eventId) {
        try {
            return journey(eventId);
        } catch (RuntimeException e) {
            LOG.errorf(e, "Cannot read back the journey of %s from the index; left out", eventId);
            return Optional.empty();
        }
    }

    public long size() {
        return size.get();
    }

    /** The stored journeys' bytes before compression: what {@link #forgetToFit} budgets. */
    public long storedBytes() {
        return storedBytes.get();
    }

    /** Writes the write buffers to files (for measuring what the index takes on disk). */
    void flush() {
        lock.readLock().lock();
        try (FlushOptions flush = new FlushOptions().setWaitForFlush(true)) {
            open().flush(flush);
        } catch (RocksDBException e) {
            throw new IllegalStateException(e);
        } finally {
            lock.readLock().unlock();
        }
    }

    /** Bytes the index takes on disk (RocksDB's estimate of its files). */
    public long bytesOnDisk() {
        lock.readLock().lock();
        try {
            return open().getLongProperty("rocksdb.total-sst-files-size") + db.getLongProperty("rocksdb.cur-size-all-mem-tables");
        } catch (RocksDBException e) {
            return -1;
        } finally {
            lock.readLock().unlock();
        }
    }

    /**
     * Forgets what Kafka no longer holds: the journeys whose newest step is older than {@code before}, their records
     * deleted by the topics' retention (or about to be). Returns how many. A journey a replay adds to meanwhile stays.
     */
    public int forget(Instant before) {
        List<String> expired = new ArrayList<>();
        lock.readLock().lock();
        try (RocksIterator entries = open().newIterator()) {
            String end = timeText("n/", before, "");
            for (entries.seek(bytes("n/")); entries.isValid(); entries.next()) {
                String key = text(entries.key());
                if (!key.startsWith("n/") || key.compareTo(end) >= 0) {
                    break;
                }
                expired.add(key.substring("n/".length() + 14));
            }
            int forgotten = 0;
            for (String eventId : expired) {
                forgotten += remove(eventId, before, false) ? 1 : 0;
            }
            return forgotten;
        } catch (RocksDBException e) {
            throw new IllegalStateException("the journey index refused a write: " + e.getMessage(), e);
        } finally {
            lock.readLock().unlock();
        }
    }

    /**
     * Forgets journeys until the stored bytes are within {@code maxBytes}: those that moved least recently first, and
     * those with a dead letter (what an operator comes to replay) only once no other is left. Returns how many.
     */
    public int forgetToFit(long maxBytes) {
        return forgetToFit(maxBytes, false);
    }

    /**
     * As {@link #forgetToFit(long)}; with {@code mark}, each journey let go is remembered and its later steps are
     * dropped until {@link #clearMarks()} (while the topics are first read, when its dead letter could otherwise come
     * back alone, after its replay's outcome was let go with it, and look dead again).
     */
    public int forgetToFit(long maxBytes, boolean mark) {
        int forgotten = 0;
        lock.readLock().lock();
        try {
            for (boolean deadLettersToo : new boolean[] {false, true}) {
                try (RocksIterator entries = open().newIterator()) {
                    for (entries.seek(bytes("n/")); entries.isValid() && storedBytes.get() > maxBytes; entries.next()) {
                        String key = text(entries.key());
                        if (!key.startsWith("n/")) {
                            break;
                        }
                        String eventId = key.substring("n/".length() + 14);
                        if ((deadLettersToo || db.get(key("d/", eventId)) == null) && remove(eventId, Instant.MAX, mark)) {
                            forgotten++;
                        }
                    }
                }
            }
            return forgotten;
        } catch (RocksDBException e) {
            throw new IllegalStateException("the journey index refused a write: " + e.getMessage(), e);
        } finally {
            lock.readLock().unlock();
        }
    }

    /** Forgets the marks {@link #forgetToFit(long, boolean)} left: later steps of those journeys are taken again. */
    public void clearMarks() {
        lock.readLock().lock();
        try {
            synchronized (writer) {
                open().deleteRange(writes, bytes("f/"), bytes("f0"));
                marked.set(0);
            }
        } catch (RocksDBException e) {
            throw new IllegalStateException("the journey index refused a write: " + e.getMessage(), e);
        } finally {
            lock.readLock().unlock();
        }
    }

    private boolean remove(String eventId, Instant before, boolean mark) throws RocksDBException {
        synchronized (writer) {
            byte[] id = key("j/", eventId);
            byte[] stored = db.get(id);
            if (stored == null) {
                return false;
            }
            Journey journey = readBack(stored, eventId);
            if (!newest(journey).isBefore(before)) {
                return false;
            }
            try (WriteBatch batch = new WriteBatch()) {
                if (mark) {
                    batch.put(key("f/", eventId), EMPTY);
                }
                batch.delete(id);
                batch.delete(timeKey("n/", newest(journey), eventId));
                batch.delete(key("d/", eventId));
                for (Step step : journey.steps()) {
                    if (step.kind() == Step.Kind.ACCEPTED || step.kind() == Step.Kind.ROUTER_DEAD_LETTER) {
                        batch.delete(timeKey("t/", step.at(), eventId));
                    }
                    if (step.kind() == Step.Kind.ACCEPTED) {
                        Optional<String> sha = bodyOfGeneratedId(step);
                        if (sha.isPresent()) {
                            batch.delete(bodyKey(sha.get(), eventId));
                        }
                    }
                }
                db.write(writes, batch);
            }
            size.decrementAndGet();
            storedBytes.addAndGet(-stored.length);
            if (mark) {
                marked.incrementAndGet();
            }
            return true;
        }
    }

    /** Entries of the index by acceptance time (for tests: none may outlive its journey). */
    int timeKeys() {
        return count("t/");
    }

    /** Entries of the index by newest step (for tests: one per journey). */
    int newestKeys() {
        return count("n/");
    }

    /** Entries of the index by body (for tests: none may outlive its journey). */
    int bodyKeys() {
        return count("b/");
    }

    private int count(String prefix) {
        int count = 0;
        lock.readLock().lock();
        try (RocksIterator entries = open().newIterator()) {
            for (entries.seek(bytes(prefix)); entries.isValid() && text(entries.key()).startsWith(prefix); entries.next()) {
                count++;
            }
            return count;
        } finally {
            lock.readLock().unlock();
        }
    }

    /** Closes the store and deletes its files; every later call fails. */
    @Override
    public void close() {
        lock.writeLock().lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
            db.close();
            writes.close();
            options.close();
            cache.close();
            wipe(directory);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            lock.writeLock().unlock();
        }
    }

    private RocksDB open() {
        if (closed) {
            throw new IllegalStateException("the journey index is closed");
        }
        return db;
    }

    private static boolean isEmpty(Path directory) throws IOException {
        try (Stream<Path> files = Files.list(directory)) {
            return files.findAny().isEmpty();
        }
    }

    /** Deletes the index's files, its mark last: a wipe cut short leaves a directory still known as an index. */
    private static void wipe(Path directory) throws IOException {
        if (!Files.exists(directory)) {
            return;
        }
        Path mark = directory.resolve(MARK);
        try (Stream<Path> files = Files.walk(directory)) {
            for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                if (!file.equals(mark) && !file.equals(directory)) {
                    Files.delete(file);
                }
            }
        }
        Files.deleteIfExists(mark);
        Files.delete(directory);
    }

    /** A stored journey; one that cannot be read back (never expected) is started again rather than stop the follower. */
    private static Journey readBack(byte[] stored, String eventId) {
        try {
            return JourneyCodec.decode(stored);
        } catch (RuntimeException e) {
            LOG.errorf(e, "Cannot read back the stored journey of %s; starting it again from this step", eventId);
            return Journey.of(eventId);
        }
    }

    private static boolean hasDeadLetter(Journey journey) {
        return journey.steps().stream().anyMatch(step -> step.kind() == Step.Kind.DELIVERY_DEAD_LETTER
                || step.kind() == Step.Kind.ROUTER_DEAD_LETTER);
    }

    /** When the journey last moved: its newest step's time. */
    private static Instant newest(Journey journey) {
        Instant newest = Instant.EPOCH;
        for (Step step : journey.steps()) {
            if (step.at() != null && step.at().isAfter(newest)) {
                newest = step.at();
            }
        }
        return newest;
    }

    /** An acceptance's type and account ids, for its entry by time; never empty (that marks a dead letter's). */
    private static String facts(Step accepted) {
        StringBuilder facts = new StringBuilder(String.valueOf(accepted.type()));
        List<String> accounts = accepted.accountIds() == null ? List.of() : accepted.accountIds();
        if (accounts.isEmpty()) {
            facts.append('\0');
        }
        accounts.forEach(account -> facts.append('\0').append(account));
        return facts.toString();
    }

    /** The body's SHA-256 of an acceptance whose id Herald generated (the sender sent none). */
    private static Optional<String> bodyOfGeneratedId(Step accepted) {
        Map<String, String> headers = accepted.headers();
        if (headers == null || !EventHeaders.ID_GENERATED.equals(headers.get(EventHeaders.ID_SOURCE))) {
            return Optional.empty();
        }
        // As the ingest writes it; anything else (a record from another producer) keys nothing.
        return Optional.ofNullable(headers.get(EventHeaders.BODY_SHA256)).filter(sha -> SHA256_HEX.matcher(sha).matches());
    }

    private static byte[] bodyKey(String sha256, String eventId) {
        return bytes("b/" + sha256 + "/" + eventId);
    }

    private static boolean blank(String value) {
        return value == null || value.isBlank();
    }

    private static byte[] key(String prefix, String eventId) {
        return bytes(prefix + eventId);
    }

    private static byte[] timeKey(String prefix, Instant at, String eventId) {
        return bytes(timeText(prefix, at == null ? Instant.EPOCH : at, eventId));
    }

    private static String timeText(String prefix, Instant at, String eventId) {
        return prefix + String.format("%013d/%s", Math.max(0, at.toEpochMilli()), eventId);
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static String text(byte[] bytes) {
        return new String(bytes, StandardCharsets.UTF_8);
    }
}
