package io.gristmill.jobs.refresh;

import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.DelegateToFileSystem;
import org.apache.hadoop.fs.FsConstants;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RawLocalFileSystem;

/**
 * The local file system for Hadoop's {@code FileContext} (set as {@code
 * fs.AbstractFileSystem.file.impl}) that, when {@value StallAtPublishStepMain#STEP} is {@value
 * #RENAME_STEP}, stalls a rename onto a file named {@code LATEST}: the temp file holding the new
 * snapshot id is then written and not yet renamed over {@code LATEST}, the one moment of
 * publication that {@code PublishFaults} cannot reach. Every other call is the raw local file
 * system's. Test code only.
 */
public final class StallingLocalFs extends DelegateToFileSystem {
  static final String RENAME_STEP = "latest:rename";

  public StallingLocalFs(URI uri, Configuration conf) throws IOException, URISyntaxException {
    super(
        FsConstants.LOCAL_FS_URI,
        new RawLocalFileSystem(),
        conf,
        FsConstants.LOCAL_FS_URI.getScheme(),
        false);
  }

  @Override
  public void renameInternal(Path src, Path dst, boolean overwrite) throws IOException {
    if (dst.getName().equals("LATEST")
        && RENAME_STEP.equals(System.getProperty(StallAtPublishStepMain.STEP))) {
      StallAtPublishStepMain.stall(RENAME_STEP + " " + src + " -> " + dst);
    }
    super.renameInternal(src, dst, overwrite);
  }
}
