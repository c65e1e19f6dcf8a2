package io.queueview.testing;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;

/** A port on 127.0.0.1 that nothing listens on right now, for servers a test starts. */
public final class FreePort {

    private FreePort() {
    }

    public static int find() throws IOException {
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return probe.getLocalPort();
        }
    }
}
