package io.queueview.topology;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.queueview.testing.TestSettings;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** topology/topology.txt is the reviewed picture of the topology: a change to the code must change it too. */
class TopologyDescriptionTest {

    static final Path DESCRIPTION = Path.of("topology", "topology.txt");

    @Test
    void topologyMatchesItsReviewedDescription(@TempDir Path dataDir) throws IOException {
        String described = QueueTopology.build(TestSettings.in(dataDir)).describe().toString();
        if (Boolean.getBoolean("queueview.writeTopology")) {
            Files.writeString(DESCRIPTION, described);
        }
        assertEquals(Files.readString(DESCRIPTION), described,
                "the topology changed: review it, then run the tests with -Dqueueview.writeTopology=true once");
    }
}
