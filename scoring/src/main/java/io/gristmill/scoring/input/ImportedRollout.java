package io.gristmill.scoring.input;

import java.io.Serializable;

/**
 * One rollout to score, whatever format it came from. Only {@code promptId} and {@code response}
 * are required; {@code sampleIndex} null means "number it by input order within the prompt".
 *
 * @param promptTokenIds the prompt's token ids when the generator recorded them, else null
 * @param label an external correctness label (GSM8K's {@code is_correct}), or null
 * @param generator the model that wrote the response, when known
 * @param step the training step or generation round, for DUMP's "latest W responses", or null
 */
public record ImportedRollout(
    String promptId,
    Integer sampleIndex,
    String dataSource,
    String prompt,
    String response,
    String groundTruth,
    int[] promptTokenIds,
    int[] responseTokenIds,
    double[] responseLogprobs,
    String finishReason,
    Boolean label,
    String generator,
    Long step)
    implements Serializable {}
