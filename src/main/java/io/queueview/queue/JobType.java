package io.queueview.queue;

/**
 * What an internal job does (API.md's job_type).
 * The words this version knows: the list call accepts only these as a filter. Entries keep the text the
 * scheduler sent, so a word a newer scheduler adds is shown, not lost.
 */
public enum JobType {
    PACKAGE_IMPORT, PACKAGE_DELETE, SCENARIO_AUTO_MINING, SCENARIO_TO_SIM, FRAME_EXTRACT, SCENARIO_EXTRACT
}
