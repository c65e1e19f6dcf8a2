package io.queueview.queue;

/**
 * What a processing job produces (API.md's output_type).
 * The words this version knows: the list call accepts only these as a filter. Entries keep the text the
 * scheduler sent, so a word a newer scheduler adds is shown, not lost.
 */
public enum OutputType {
    DATA_MARK, OPEN_DATA, DATA_SET, REPLAY_SIM, PLOT_DATA
}
