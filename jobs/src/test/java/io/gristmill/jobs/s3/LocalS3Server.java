package io.gristmill.jobs.s3;

import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.gaul.s3proxy.AuthenticationType;
import org.gaul.s3proxy.S3Proxy;
import org.jclouds.ContextBuilder;
import org.jclouds.blobstore.BlobStore;
import org.jclouds.blobstore.BlobStoreContext;
import org.jclouds.blobstore.domain.Blob;
import org.jclouds.blobstore.domain.MultipartUpload;
import org.jclouds.blobstore.domain.PageSet;
import org.jclouds.blobstore.domain.StorageMetadata;
import org.jclouds.blobstore.domain.StorageType;
import org.jclouds.blobstore.options.ListContainerOptions;

/**
 * An S3-compatible server on 127.0.0.1 (S3Proxy over jclouds' in-memory "transient" blob store),
 * with AWS signature v4 authentication, started and stopped by a test. Every object write, copy and
 * delete the server performs is recorded in order, so a test can tell a single-stream PUT from a
 * rename (S3A's rename is a server-side copy, then a delete).
 */
final class LocalS3Server implements AutoCloseable {
  static final String ACCESS_KEY = "gristmill-access";
  static final String SECRET_KEY = "gristmill-secret";

  /** One object operation as the blob store saw it: put, copy (from -> to) or delete. */
  record Event(String op, String key, String from) {}

  private final BlobStoreContext context;
  private final BlobStore store;
  private final S3Proxy proxy;
  private final List<Event> events = new ArrayList<>();

  LocalS3Server(String bucket) throws Exception {
    context =
        ContextBuilder.newBuilder("transient")
            .credentials("identity", "credential")
            .buildView(BlobStoreContext.class);
    store = context.getBlobStore();
    store.createContainerInLocation(null, bucket);
    BlobStore recording =
        (BlobStore)
            Proxy.newProxyInstance(
                BlobStore.class.getClassLoader(), new Class<?>[] {BlobStore.class}, recorder());
    proxy =
        S3Proxy.builder()
            .blobStore(recording)
            .endpoint(URI.create("http://127.0.0.1:0"))
            .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, ACCESS_KEY, SECRET_KEY)
            .build();
    proxy.start();
    long deadline = System.nanoTime() + 30_000_000_000L;
    while (!"STARTED".equals(proxy.getState())) {
      if (System.nanoTime() > deadline) {
        proxy.stop();
        throw new IllegalStateException("S3Proxy did not start: " + proxy.getState());
      }
      Thread.sleep(10);
    }
  }

  private InvocationHandler recorder() {
    return (p, method, args) -> {
      String name = method.getName();
      switch (name) {
        case "putBlob" -> record("put", ((Blob) args[1]).getMetadata().getName(), null);
        case "copyBlob" -> record("copy", (String) args[3], (String) args[1]);
        case "completeMultipartUpload" ->
            record("put", ((MultipartUpload) args[0]).blobName(), null);
        case "removeBlob" -> record("delete", (String) args[1], null);
        case "removeBlobs" -> {
          for (Object key : (Iterable<?>) args[1]) {
            record("delete", (String) key, null);
          }
        }
        default -> {}
      }
      try {
        return method.invoke(store, args);
      } catch (InvocationTargetException e) {
        throw e.getCause();
      }
    };
  }

  private void record(String op, String key, String from) {
    synchronized (events) {
      events.add(new Event(op, key, from));
    }
  }

  /** The endpoint S3A is given, {@code http://127.0.0.1:PORT}. */
  String endpoint() {
    return "http://127.0.0.1:" + proxy.getPort();
  }

  /** Every object write, copy and delete so far, in the order the server performed them. */
  List<Event> events() {
    synchronized (events) {
      return List.copyOf(events);
    }
  }

  /** Every object key under {@code prefix} with its size, read from the store, not through S3A. */
  Map<String, Long> list(String bucket, String prefix) {
    Map<String, Long> keys = new TreeMap<>();
    ListContainerOptions options = ListContainerOptions.Builder.prefix(prefix).recursive();
    while (true) {
      PageSet<? extends StorageMetadata> page = store.list(bucket, options);
      for (StorageMetadata m : page) {
        if (m.getType() == StorageType.BLOB) {
          keys.put(m.getName(), m.getSize() == null ? -1L : m.getSize());
        }
      }
      if (page.getNextMarker() == null) {
        return keys;
      }
      options =
          ListContainerOptions.Builder.prefix(prefix).recursive().afterMarker(page.getNextMarker());
    }
  }

  /** An object's bytes, read from the store. */
  byte[] read(String bucket, String key) throws IOException {
    Blob blob = store.getBlob(bucket, key);
    if (blob == null) {
      throw new IOException("no object " + key + " in " + bucket);
    }
    try (InputStream in = blob.getPayload().openStream()) {
      return in.readAllBytes();
    }
  }

  @Override
  public void close() throws Exception {
    try {
      proxy.stop();
    } finally {
      context.close();
    }
  }
}
