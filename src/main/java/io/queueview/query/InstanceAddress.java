package io.queueview.query;

/** Where an instance of queueview answers HTTP: its advertised host and port (Kafka Streams' application.server). */
public record InstanceAddress(String host, int port) {

    @Override
    public String toString() {
        return host + ":" + port;
    }
}
