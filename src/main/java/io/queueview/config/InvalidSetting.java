package io.queueview.config;

/** A setting with a wrong value; the message names the setting and is meant to stop start-up as one line. */
public final class InvalidSetting extends RuntimeException {

    public InvalidSetting(String variable, String value, String rule) {
        super(variable + "='" + value + "' is invalid: " + rule);
    }
}
