package io.gristmill.curation.dedup.near;

import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * In-memory connected components, labelled by their smallest member: contracts one partition's
 * edges in {@link ComponentsSparkStage}, and is the reference that stage is tested against.
 */
public final class UnionFind {
  private final Map<String, String> parent = new HashMap<>();

  public void add(String v) {
    parent.putIfAbsent(v, v);
  }

  public void union(String a, String b) {
    String ra = find(a);
    String rb = find(b);
    if (!ra.equals(rb)) {
      if (ra.compareTo(rb) < 0) {
        parent.put(rb, ra);
      } else {
        parent.put(ra, rb);
      }
    }
  }

  public String find(String v) {
    add(v);
    String r = v;
    while (!parent.get(r).equals(r)) {
      r = parent.get(r);
    }
    String c = v;
    while (!parent.get(c).equals(r)) {
      String next = parent.get(c);
      parent.put(c, r);
      c = next;
    }
    return r;
  }

  /** Every vertex and the smallest vertex of its component, sorted by vertex. */
  public Map<String, String> components() {
    Map<String, String> out = new TreeMap<>();
    for (String v : parent.keySet()) {
      out.put(v, find(v));
    }
    return out;
  }
}
