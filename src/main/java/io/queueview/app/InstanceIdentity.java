package io.queueview.app;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.UUID;

/**
 * This instance's static name in the consumer group ({@code group.instance.id}), generated on the first start and
 * kept in the data folder. A restart on the same data folder comes back under the same name and takes its
 * partitions back at once, instead of waiting for the group to time out the member that died. Kafka Streams adds
 * "-&lt;thread index&gt;" per stream thread. Two running instances must never share a data folder (the second
 * would be fenced), so a copied data folder needs its instance-id file deleted.
 */
final class InstanceIdentity {

    static final String FILE = "instance-id";

    private InstanceIdentity() {
    }

    static String groupInstanceId(Path dataDir) throws IOException {
        Path file = dataDir.resolve(FILE);
        if (Files.exists(file)) {
            String kept = Files.readString(file, StandardCharsets.UTF_8).trim();
            if (!kept.isEmpty()) {
                return kept;
            }
        }
        String generated = "queueview-" + UUID.randomUUID();
        // written whole or not at all: a crash mid-write must not leave a half id to come back under
        Path partial = Files.createTempFile(dataDir, FILE, ".tmp");
        Files.writeString(partial, generated + "\n", StandardCharsets.UTF_8);
        Files.move(partial, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        return generated;
    }
}
