package dev.riskstream.job;

import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.api.connector.sink2.WriterInitContext;

/**
 * Collects what a MiniCluster job writes, across its parallel writers, for assertions. Records are
 * kept in a static registry because the sink instance is serialized into the job.
 */
public final class CollectingSink<T> implements Sink<T> {

  private static final Map<String, List<Object>> RECEIVED = new ConcurrentHashMap<>();
  private final String id = UUID.randomUUID().toString();

  public CollectingSink() {
    RECEIVED.put(id, new CopyOnWriteArrayList<>());
  }

  @SuppressWarnings("unchecked")
  public List<T> received() {
    return (List<T>) List.copyOf(RECEIVED.get(id));
  }

  @Override
  public SinkWriter<T> createWriter(WriterInitContext context) {
    List<Object> target = RECEIVED.get(id);
    return new SinkWriter<>() {
      @Override
      public void write(T element, Context context) {
        target.add(element);
      }

      @Override
      public void flush(boolean endOfInput) {}

      @Override
      public void close() {}
    };
  }
}
