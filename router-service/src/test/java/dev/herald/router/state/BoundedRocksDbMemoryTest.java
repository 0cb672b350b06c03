package dev.herald.router.state;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rocksdb.BlockBasedTableConfig;
import org.rocksdb.Options;
import org.rocksdb.RocksDB;

/** Every store the router opens shares one write buffer manager and one block cache, and opens with them. */
class BoundedRocksDbMemoryTest {

    @TempDir
    Path directory;

    private static Options streamsOptions() {
        return new Options().setCreateIfMissing(true).setTableFormatConfig(new BlockBasedTableConfig());
    }

    @Test
    void twoStoresShareOneBudgetAndOpen() throws Exception {
        // Made first, as Kafka Streams makes it while reading its configuration, before anything loaded RocksDB.
        BoundedRocksDbMemory setter = new BoundedRocksDbMemory();
        // As Kafka Streams hands them to the setter: with its block-based table configuration already set.
        try (Options first = streamsOptions(); Options second = streamsOptions()) {
            setter.setConfig("seen-bodies.1", first, Map.of());
            new BoundedRocksDbMemory().setConfig("seen-ids.1", second, Map.of());

            assertThat(first.writeBufferManager()).isNotNull().isSameAs(second.writeBufferManager());
            assertThat(first.writeBufferSize()).isEqualTo(BoundedRocksDbMemory.MEMTABLE_PER_STORE_BYTES);
            assertThat(((BlockBasedTableConfig) first.tableFormatConfig()).cacheIndexAndFilterBlocks()).isTrue();
            try (RocksDB one = RocksDB.open(first, directory.resolve("one").toString());
                    RocksDB two = RocksDB.open(second, directory.resolve("two").toString())) {
                one.put("k".getBytes(), "v".getBytes());
                two.put("k".getBytes(), "w".getBytes());
                assertThat(one.get("k".getBytes())).isEqualTo("v".getBytes());
                // The shared cache, not one of Streams' own 50 MiB, and the memtables' memory is charged to it.
                assertThat(one.getLongProperty("rocksdb.block-cache-capacity")).isEqualTo(BoundedRocksDbMemory.CACHE_BYTES);
                assertThat(two.getLongProperty("rocksdb.block-cache-capacity")).isEqualTo(BoundedRocksDbMemory.CACHE_BYTES);
                assertThat(one.getLongProperty("rocksdb.block-cache-usage")).isPositive();
            }
        }
    }
}
