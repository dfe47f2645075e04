package trit.corpus;

/**
 * One unit of the corpus that splits never cut: a novel's chapter or a Bible chapter.
 *
 * @param id    stable name, e.g. {@code austen/emma/12} or {@code kjv/Genesis/1}
 * @param text  normalised text (see {@link Paragraphs}), without a trailing newline
 */
public record Document(String id, String text) {}
