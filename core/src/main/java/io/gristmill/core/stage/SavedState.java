package io.gristmill.core.stage;

/**
 * State a stage saves with the snapshot for later runs (e.g. near-dedup signatures), written by the
 * snapshot writer into the snapshot folder {@code name}.
 */
public interface SavedState {
  /** The folder name inside the snapshot. */
  String name();

  /** Writes the state to {@code dir} (which does not exist yet). */
  void writeTo(String dir);
}
