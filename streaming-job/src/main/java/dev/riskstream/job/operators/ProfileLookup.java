package dev.riskstream.job.operators;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.riskstream.features.profile.CustomerProfile;
import dev.riskstream.features.profile.MerchantProfile;
import dev.riskstream.features.profile.ProfileFeatures;
import dev.riskstream.job.EnrichedTransaction;
import dev.riskstream.job.LookupSettings;
import dev.riskstream.job.util.LogThrottle;
import dev.riskstream.schemas.LookupStatus;
import dev.riskstream.schemas.Transaction;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Histogram;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.metrics.ThreadSafeSimpleCounter;
import org.apache.flink.runtime.metrics.DescriptiveStatisticsHistogram;
import org.apache.flink.streaming.api.functions.async.ResultFuture;
import org.apache.flink.streaming.api.functions.async.RichAsyncFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The lookup join: adds the customer's and the merchant's profile features to each transaction,
 * read over JDBC, through a cache. Used with {@code AsyncDataStream.unorderedWait}, whose timeout
 * and capacity come from the same {@link LookupSettings}.
 *
 * <p>It never fails the job and never holds a transaction back longer than the timeout: a profile
 * that is not in the database leaves its features at their fallbacks (MISS), so does a lookup that
 * outlives the timeout (TIMEOUT) or fails (ERROR), after bounded retries of transient errors; the
 * fallbacks are the feature defaults that {@link ProfileFeatures} documents. Every transaction leaves with its {@link LookupStatus}.
 * A control record on its way down the decision path passes at once.
 *
 * <p>JDBC blocks a thread per query, so queries run on an executor with exactly as many threads as
 * the pool has connections (more threads would only wait for a connection), fed by a queue as long
 * as the operator's capacity, which bounds the lookups in flight. A lookup that times out is taken
 * off the queue; one that is already running is abandoned and its late result ignored.
 */
public final class ProfileLookup extends RichAsyncFunction<EnrichedTransaction, EnrichedTransaction> {

  private static final Logger LOG = LoggerFactory.getLogger(ProfileLookup.class);
  /** An unreachable database fails every lookup; one warning per interval keeps the log readable. */
  private static final Duration ERROR_LOG_INTERVAL = Duration.ofSeconds(10);
  /**
   * How long a lookup waits for a connection: the shortest HikariCP allows. A lookup that gets none
   * is retried (the error is transient), so a brief spike is ridden out, while an unreachable
   * database fails lookups within about (retries + 1) x 250 ms instead of holding lookup threads.
   */
  private static final long POOL_TIMEOUT_MS = 250;
  private static final long RETRY_BACKOFF_MS = 10;
  private static final int LATENCY_WINDOW = 1_000;

  private final LookupSettings settings;

  private transient HikariDataSource pool;
  private transient ThreadPoolExecutor executor;
  private transient Cache<String, Optional<CustomerProfile>> customers;
  private transient Cache<String, Optional<MerchantProfile>> merchants;
  /** By identity: the lookups waiting for the database, so that a timeout finds its own. */
  private transient Map<ResultFuture<EnrichedTransaction>, Request> pending;
  private transient volatile boolean closing;
  private transient LogThrottle errorWarnings;
  private transient int queryTimeoutSeconds;

  private transient Histogram latencyMs;
  private transient Counter hits;
  private transient Counter misses;
  private transient Counter timeouts;
  private transient Counter errors;
  private transient Counter fallbacks;

  public ProfileLookup(LookupSettings settings) {
    this.settings = settings;
  }

  @Override
  public void open(OpenContext openContext) {
    int subtask = getRuntimeContext().getTaskInfo().getIndexOfThisSubtask();
    HikariConfig config = new HikariConfig();
    config.setPoolName("profile-lookup-" + subtask);
    config.setJdbcUrl(settings.jdbcUrl());
    config.setUsername(settings.username());
    config.setPassword(settings.password().read().orElse(null));
    config.setMaximumPoolSize(settings.poolSize());
    config.setMinimumIdle(settings.poolSize());
    config.setReadOnly(true);
    config.setConnectionTimeout(POOL_TIMEOUT_MS);
    config.setValidationTimeout(POOL_TIMEOUT_MS);
    // start without a connection: an unreachable database degrades lookups to fallbacks, it must
    // not keep the job from starting
    config.setInitializationFailTimeout(-1);
    pool = new HikariDataSource(config);
    // JDBC's smallest query timeout is a second; it frees a connection from a stalled query, whose
    // transaction has long fallen back
    queryTimeoutSeconds = (int) Math.max(1, (settings.timeout().toMillis() + 999) / 1000);

    AtomicInteger threads = new AtomicInteger();
    executor = new ThreadPoolExecutor(settings.poolSize(), settings.poolSize(), 0, TimeUnit.MILLISECONDS,
        new ArrayBlockingQueue<>(settings.capacity()), runnable -> {
          Thread thread = new Thread(runnable, "profile-lookup-" + subtask + "-" + threads.incrementAndGet());
          thread.setDaemon(true);
          return thread;
        });
    customers = cache();
    merchants = cache();
    pending = Collections.synchronizedMap(new IdentityHashMap<>());
    errorWarnings = new LogThrottle(ERROR_LOG_INTERVAL);

    // completions happen on the lookup threads, hence thread-safe counters
    MetricGroup metrics = getRuntimeContext().getMetricGroup().addGroup("lookup");
    latencyMs = metrics.histogram("latencyMs", new DescriptiveStatisticsHistogram(LATENCY_WINDOW));
    metrics.gauge("cacheHitRatio", () -> customers.stats().plus(merchants.stats()).hitRate());
    hits = metrics.counter("hits", new ThreadSafeSimpleCounter());
    misses = metrics.counter("misses", new ThreadSafeSimpleCounter());
    timeouts = metrics.counter("timeouts", new ThreadSafeSimpleCounter());
    errors = metrics.counter("errors", new ThreadSafeSimpleCounter());
    fallbacks = metrics.counter("fallbacks", new ThreadSafeSimpleCounter());
  }

  /** Found profiles live for the TTL; absent ones for a tenth of it, so a new profile shows soon. */
  private <V> Cache<String, Optional<V>> cache() {
    long foundNanos = settings.cacheTtl().toNanos();
    long absentNanos = foundNanos / 10;
    return Caffeine.newBuilder()
        .maximumSize(settings.cacheSize())
        .expireAfter(new Expiry<String, Optional<V>>() {
          @Override
          public long expireAfterCreate(String key, Optional<V> value, long currentTime) {
            return value.isPresent() ? foundNanos : absentNanos;
          }

          @Override
          public long expireAfterUpdate(String key, Optional<V> value, long currentTime, long currentDuration) {
            return expireAfterCreate(key, value, currentTime);
          }

          @Override
          public long expireAfterRead(String key, Optional<V> value, long currentTime, long currentDuration) {
            return currentDuration;
          }
        })
        .recordStats()
        .build();
  }

  @Override
  public void asyncInvoke(EnrichedTransaction input, ResultFuture<EnrichedTransaction> resultFuture) {
    if (input.control != null) {
      // for an operator further down; it may overtake transactions whose lookups are in flight
      resultFuture.complete(List.of(input));
      return;
    }
    Transaction tx = input.transaction;
    Request request = new Request(input, resultFuture,
        customers.getIfPresent(tx.getCustomerId()), merchants.getIfPresent(tx.getMerchantId()));
    if (request.answeredFromCache) {
      // no hand-over to a lookup thread
      request.complete(request.customer.orElse(null), request.merchant.orElse(null));
      return;
    }
    pending.put(resultFuture, request);
    try {
      executor.execute(request);
    } catch (RejectedExecutionException e) {
      request.fail(e);
    }
  }

  @Override
  public void timeout(EnrichedTransaction input, ResultFuture<EnrichedTransaction> resultFuture) {
    Request request = pending.get(resultFuture);
    if (request != null) {
      executor.remove(request);
      request.fallBack(LookupStatus.TIMEOUT);
    }
  }

  @Override
  public void close() throws Exception {
    closing = true;
    if (executor != null) {
      executor.shutdownNow();
      if (!executor.awaitTermination(queryTimeoutSeconds + 1L, TimeUnit.SECONDS)) {
        LOG.warn("profile lookups still running at close; their connections are closed under them");
      }
    }
    if (pool != null) {
      pool.close();
    }
  }

  /**
   * Lookups that have run to their end on the lookup threads, whether their transaction waited for
   * them or had already fallen back. For tests.
   */
  long lookupsFinished() {
    return executor.getCompletedTaskCount();
  }

  /** One transaction's lookup; completes its result exactly once, whoever comes first. */
  private final class Request implements Runnable {

    private final EnrichedTransaction input;
    private final ResultFuture<EnrichedTransaction> result;
    private final long startNanos = System.nanoTime();
    private final AtomicBoolean done = new AtomicBoolean();
    /** The latency histogram is about the database: answers from the cache would drown it in zeros. */
    private final boolean answeredFromCache;
    /** From the cache; null: to be read from the database. */
    private Optional<CustomerProfile> customer;
    private Optional<MerchantProfile> merchant;

    Request(EnrichedTransaction input, ResultFuture<EnrichedTransaction> result,
        Optional<CustomerProfile> customer, Optional<MerchantProfile> merchant) {
      this.input = input;
      this.result = result;
      this.customer = customer;
      this.merchant = merchant;
      this.answeredFromCache = customer != null && merchant != null;
    }

    /**
     * Retries transient errors in place, on the lookup thread, with a backoff of 10, 20, 40 ... ms.
     * Not with Flink's {@code AsyncDataStream.unorderedWaitWithRetry}: there the last attempt's
     * exception completes the element exceptionally and the async operator fails the task instead
     * of deciding the transaction with ERROR fallbacks (in a harness with a function whose every
     * attempt fails transiently: 3 attempts, no output, "Could not complete the stream element").
     * Retrying on a fallback result instead would need the result to tell a transient error from a
     * lasting one, which EnrichedTransaction cannot carry without changing its serializer, and
     * would count every attempt in the lookup metrics. Each retry there also goes through the task
     * thread twice (a mail, then a timer) and queues again behind the lookups waiting for a thread,
     * and its exponential strategy keeps the last delay in one field shared by every lookup of the
     * subtask.
     */
    @Override
    public void run() {
      for (int attempt = 0; ; attempt++) {
        if (done.get() || closing) {
          return; // timed out while it waited, or the operator is going away
        }
        try {
          readMissingProfiles();
          complete(customer.orElse(null), merchant.orElse(null));
          return;
        } catch (SQLException e) {
          if (attempt >= settings.maxRetries() || !ProfileQueries.isTransient(e)) {
            fail(e);
            return;
          }
          if (!backOff(attempt)) {
            return;
          }
        } catch (RuntimeException e) {
          fail(e); // a row the code cannot read is this transaction's problem, not the job's
          return;
        }
      }
    }

    private void readMissingProfiles() throws SQLException {
      Transaction tx = input.transaction;
      try (Connection connection = pool.getConnection()) {
        if (customer == null) {
          customer = Optional.ofNullable(ProfileQueries.customer(connection, tx.getCustomerId(), queryTimeoutSeconds));
          customers.put(tx.getCustomerId(), customer);
        }
        if (merchant == null) {
          merchant = Optional.ofNullable(ProfileQueries.merchant(connection, tx.getMerchantId(), queryTimeoutSeconds));
          merchants.put(tx.getMerchantId(), merchant);
        }
      }
    }

    private boolean backOff(int attempt) {
      try {
        Thread.sleep(RETRY_BACKOFF_MS << attempt);
        return true;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return false;
      }
    }

    void complete(CustomerProfile customerProfile, MerchantProfile merchantProfile) {
      LookupStatus status = customerProfile != null && merchantProfile != null ? LookupStatus.HIT : LookupStatus.MISS;
      emit(status, customerProfile, merchantProfile);
    }

    void fail(Exception e) {
      if (errorWarnings.due()) {
        LOG.warn("profile lookup failed, scoring with fallback features (further failures for {} s not logged): {}",
            ERROR_LOG_INTERVAL.toSeconds(), e.toString());
      }
      fallBack(LookupStatus.ERROR);
    }

    void fallBack(LookupStatus status) {
      emit(status, null, null);
    }

    private void emit(LookupStatus status, CustomerProfile customerProfile, MerchantProfile merchantProfile) {
      if (!done.compareAndSet(false, true) || closing) {
        return;
      }
      pending.remove(result);
      // a copy: the operator may serialize the in-flight input for a checkpoint meanwhile
      EnrichedTransaction out = new EnrichedTransaction(input.transaction, input.features.clone());
      out.receivedAt = input.receivedAt;
      ProfileFeatures.apply(out.features, input.transaction, customerProfile, merchantProfile);
      out.lookupStatus = status;
      count(status);
      result.complete(List.of(out));
    }

    private void count(LookupStatus status) {
      switch (status) {
        case HIT -> hits.inc();
        case MISS -> misses.inc();
        case TIMEOUT -> timeouts.inc();
        default -> errors.inc();
      }
      if (status != LookupStatus.HIT) {
        fallbacks.inc();
      }
      if (!answeredFromCache) {
        latencyMs.update((System.nanoTime() - startNanos) / 1_000_000);
      }
    }
  }
}
