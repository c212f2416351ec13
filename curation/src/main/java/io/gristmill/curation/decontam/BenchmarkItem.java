package io.gristmill.curation.decontam;

import java.io.Serializable;

/** One test item of a benchmark: its benchmark name, its id and the text that is indexed. */
public record BenchmarkItem(String benchmark, String item, String text) implements Serializable {}
