package dev.herald.router.state;

import java.util.Map;
import org.apache.kafka.streams.state.RocksDBConfigSetter;
import org.rocksdb.BlockBasedTableConfig;
import org.rocksdb.Cache;
import org.rocksdb.LRUCache;
import org.rocksdb.Options;
import org.rocksdb.RocksDB;
import org.rocksdb.WriteBufferManager;

/**
 * One memory budget for every RocksDB store of the router, off the heap and inside the pod's memory limit. The
 * seen-event window stores are two per task and a few segments each, every segment its own RocksDB; Kafka Streams'
 * default gives each a 50 MiB block cache and up to three 16 MiB memtables, so a pod owning every partition could hold
 * over a gigabyte beside a 768 MiB limit. Here they share one 32 MiB cache that also counts their memtables (16 MiB
 * of it) and their index and filter blocks: the bounded-memory configuration of Kafka Streams' documentation.
 */
public class BoundedRocksDbMemory implements RocksDBConfigSetter {

    static final long CACHE_BYTES = 32L << 20;
    static final long MEMTABLE_BYTES = 16L << 20;
    /**
     * Each store's memtable before it is flushed: with Streams' 16 MiB, a few stores would fill the shared budget with
     * one memtable each and flush on every write. 2 MiB leaves room for the written segment of both stores of every
     * task a pod can own (3 raw partitions, 6 stores).
     */
    static final long MEMTABLE_PER_STORE_BYTES = 2L << 20;

    static {
        // Kafka Streams makes this class while it reads its configuration, before it opens any store; an LRUCache,
        // unlike Options, does not load RocksDB's native library itself.
        RocksDB.loadLibrary();
    }

    /** Shared by every store of the process, so never closed with one (Kafka Streams makes a setter per store). */
    private static final Cache CACHE = new LRUCache(CACHE_BYTES, -1, false, 0.1);
    private static final WriteBufferManager WRITE_BUFFERS = new WriteBufferManager(MEMTABLE_BYTES, CACHE);

    @Override
    public void setConfig(String storeName, Options options, Map<String, Object> configs) {
        BlockBasedTableConfig table = (BlockBasedTableConfig) options.tableFormatConfig();
        table.setBlockCache(CACHE);
        table.setCacheIndexAndFilterBlocks(true);
        table.setCacheIndexAndFilterBlocksWithHighPriority(true);
        table.setPinTopLevelIndexAndFilter(true);
        options.setWriteBufferManager(WRITE_BUFFERS);
        options.setWriteBufferSize(MEMTABLE_PER_STORE_BYTES);
        options.setTableFormatConfig(table);
    }

    @Override
    public void close(String storeName, Options options) {
        // The cache and the write buffer manager outlive every store.
    }
}
