package io.gristmill.core.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RawLocalFileSystem;

/**
 * A stand-in for an object store, where rename is not atomic: the local file system under the
 * scheme {@code norename://}, whose rename is a copy then a delete (as S3A's is) and is recorded in
 * {@link #RENAMES}. With {@code strict}, renaming a file named {@code LATEST} or {@code
 * manifest.json} fails outright, so publication must not depend on it. Register with {@link
 * #register}.
 */
public final class NoRenameFileSystem extends RawLocalFileSystem {
  public static final String SCHEME = "norename";

  /** Every rename target, in order. */
  public static final List<String> RENAMES = new CopyOnWriteArrayList<>();

  public static void register(Configuration conf) {
    conf.set("fs." + SCHEME + ".impl", NoRenameFileSystem.class.getName());
  }

  @Override
  public URI getUri() {
    return URI.create(SCHEME + ":///");
  }

  @Override
  public String getScheme() {
    return SCHEME;
  }

  @Override
  public void initialize(URI uri, Configuration conf) throws IOException {
    super.initialize(URI.create("file:///"), conf);
    setConf(conf);
  }

  @Override
  public boolean rename(Path src, Path dst) throws IOException {
    RENAMES.add(dst.toUri().getPath());
    String name = dst.getName();
    if (name.equals("LATEST") || name.equals("manifest.json")) {
      throw new IOException("rename is not atomic on this store; refusing to publish " + dst);
    }
    FileStatus st = getFileStatus(src);
    if (st.isDirectory()) {
      return super.rename(src, dst);
    }
    try (InputStream in = open(src);
        OutputStream out = create(dst, true)) {
      in.transferTo(out);
    }
    return delete(src, false);
  }
}
