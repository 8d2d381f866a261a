package dev.todoapi.security;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.BucketConfiguration;
import io.github.bucket4j.ConsumptionProbe;
import io.github.bucket4j.distributed.ExpirationAfterWriteStrategy;
import io.github.bucket4j.distributed.jdbc.PrimaryKeyMapper;
import io.github.bucket4j.distributed.proxy.ProxyManager;
import io.github.bucket4j.postgresql.Bucket4jPostgreSQL;
import java.time.Duration;
import javax.sql.DataSource;

/** Token buckets (bucket4j) by key: in this process's memory, or in PostgreSQL to share them across instances. */
public interface RateLimiter {

    ConsumptionProbe tryConsume(String key);

    int limit();

    Duration window();

    static BucketConfiguration perWindow(int limit, Duration window) {
        return BucketConfiguration.builder()
                .addLimit(l -> l.capacity(limit).refillIntervally(limit, window))
                .build();
    }

    /** One process: buckets in a bounded cache that forgets idle clients. */
    record InMemory(int limit, Duration window, Cache<String, Bucket> buckets) implements RateLimiter {
        public InMemory(int limit, Duration window) {
            this(limit, window, Caffeine.newBuilder().maximumSize(200_000).expireAfterAccess(window.multipliedBy(2)).build());
        }

        @Override
        public ConsumptionProbe tryConsume(String key) {
            return buckets.get(key, k -> Bucket.builder().addLimit(l -> l.capacity(limit).refillIntervally(limit, window)).build())
                    .tryConsumeAndReturnRemaining(1);
        }
    }

    /** Several instances: bucket state in the rate_limit_buckets table, row-locked per request. */
    record Postgres(int limit, Duration window, ProxyManager<String> buckets, BucketConfiguration configuration)
            implements RateLimiter {
        public Postgres(int limit, Duration window, DataSource dataSource) {
            this(limit, window,
                    Bucket4jPostgreSQL.selectForUpdateBasedBuilder(dataSource)
                            .primaryKeyMapper(PrimaryKeyMapper.STRING)
                            .table("rate_limit_buckets")
                            .idColumn("id")
                            .stateColumn("state")
                            .expiresAtColumn("expires_at")
                            .expirationAfterWrite(ExpirationAfterWriteStrategy.basedOnTimeForRefillingBucketUpToMax(window))
                            .build(),
                    perWindow(limit, window));
        }

        @Override
        public ConsumptionProbe tryConsume(String key) {
            return buckets.builder().build(key, () -> configuration).tryConsumeAndReturnRemaining(1);
        }
    }
}
