package io.gristmill.curation.decontam.paraphrase;

import java.io.Serializable;
import java.util.List;

/**
 * A turn's verified paraphrase match with one benchmark item.
 *
 * @param benchmark the item's benchmark
 * @param item the item's id
 * @param score the item's idf-weighted term containment in the turn (0..1)
 * @param signals the signals that agreed, e.g. {@code terms}, {@code numbers}, {@code asked},
 *     {@code signature}, {@code types}, {@code examples}, {@code question}, {@code options}, {@code
 *     chars}
 */
public record ParaphraseMatch(String benchmark, String item, double score, List<String> signals)
    implements Serializable {}
