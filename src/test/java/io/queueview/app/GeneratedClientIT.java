package io.queueview.app;

import static io.queueview.testing.EventJson.enqueued;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.queueview.client.ApiClient;
import io.queueview.client.ApiException;
import io.queueview.client.api.QueuingJobsApi.APIListQueuedJobsRequest;
import io.queueview.client.api.QueuingJobsApi;
import io.queueview.client.model.BatchAnswer;
import io.queueview.client.model.BatchRequest;
import io.queueview.client.model.ClusterType;
import io.queueview.client.model.Entry;
import io.queueview.client.model.EntryPosition;
import io.queueview.client.model.Error;
import io.queueview.client.model.ListAnswer;
import io.queueview.client.model.MoveAnswer;
import io.queueview.client.model.MoveOperation;
import io.queueview.client.model.MoveRequest;
import io.queueview.client.model.OutputType;
import io.queueview.client.model.QueueType;
import io.queueview.testing.Await;
import io.queueview.testing.EventJson;
import io.queueview.testing.RunningService;
import io.queueview.testing.SharedBroker;
import java.time.Duration;
import java.util.AbstractMap.SimpleEntry;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A client generated from the contract (openapi-generator, Java, java.net.http) against queueview on a real
 * broker: every call of the Job Queue API through it alone, so the document is usable as it stands.
 */
class GeneratedClientIT {

    @RegisterExtension
    final RunningService service = new RunningService();

    private static final String PROJECT = "p";
    private static final int ENTRIES = 12;

    private QueuingJobsApi queue;

    @BeforeEach
    void start() throws Exception {
        queue = new QueuingJobsApi(client(service.token()));
        // ids 1..12: priority id % 3, rank_stamp 1,000,000 + id; even ids on MODELARTS (ma-1 when id % 4 == 0, else
        // ma-2), odd ids on CCE; output DATA_MARK for 1..6, REPLAY_SIM for 7..12.
        // Queue order: 2, 5, 8, 11 (priority 2), 1, 4, 7, 10 (1), 3, 6, 9, 12 (0).
        List<Map.Entry<byte[], byte[]>> records = new ArrayList<>();
        for (int id = 1; id <= ENTRIES; id++) {
            EventJson event = enqueued(PROJECT, "PROCESSOR", id).with("priority", id % 3).version(1)
                    .with("processor_name", "lane-detection").with("data_id", "DPK%07d".formatted(id))
                    .with("output_type", id <= 6 ? "DATA_MARK" : "REPLAY_SIM")
                    .with("cluster_type", id % 2 == 0 ? "MODELARTS" : "CCE")
                    .with("cluster_id", id % 2 == 1 ? "cce-1" : id % 4 == 0 ? "ma-1" : "ma-2");
            records.add(new SimpleEntry<>(null, event.bytes()));
        }
        SharedBroker.produce(service.settings().topics().events(), records);
        Await.until(Duration.ofSeconds(60), ENTRIES + " entries are listed",
                () -> listed() == ENTRIES);
    }


    @Test
    void listsWithFiltersTotalsAndPages() throws ApiException {
        ListAnswer all = queue.listQueuedJobs(listing().limit(200).build());
        assertEquals(List.of(2L, 5L, 8L, 11L, 1L, 4L, 7L, 10L, 3L, 6L, 9L, 12L), ids(all));
        assertEquals(200, all.getPayload().getPageInfo().getLimit());
        assertEquals(ENTRIES, all.getPayload().getPageInfo().getTotal());

        ListAnswer cluster = queue.listQueuedJobs(listing().clusterType(ClusterType.MODELARTS).clusterId("ma-1")
                .limit(2).offset(1).build());
        assertEquals(List.of(4L, 12L), ids(cluster), "ma-1 holds 8, 4, 12; the page skips one");
        assertEquals(3, cluster.getPayload().getPageInfo().getTotal());
        assertEquals(1, cluster.getPayload().getPageInfo().getOffset());

        ListAnswer replays = queue.listQueuedJobs(listing().outputType(OutputType.REPLAY_SIM).build());
        assertEquals(List.of(8L, 11L, 7L, 10L, 9L, 12L), ids(replays));
        Entry first = replays.getPayload().getList().get(0);
        assertEquals("DPK0000008", first.getDataId());
        assertEquals("ma-1", first.getClusterId());
        assertEquals("lane-detection", first.getProcessorName());
        assertEquals(PROJECT, first.getProjectId());
        assertTrue(replays.getMetaInfo().getCurrentTime() != null);
    }

    @Test
    void readsAPositionMovesAnEntryToTheTopAndSetsPrioritiesInABatch() throws ApiException {
        EntryPosition one = position(1);
        assertEquals(5, one.getPosition(), "1 follows the four entries of priority 2");
        assertEquals(ENTRIES, one.getQueueTotal());
        assertEquals(1, one.getPriority());

        MoveAnswer moved = queue.moveEntry(QueuingJobsApi.APIMoveEntryRequest.newBuilder().projectId(PROJECT).id(12L)
                .moveRequest(new MoveRequest().queueType(QueueType.PROCESSOR).operationType(MoveOperation.MOVE_TOP))
                .build());
        assertEquals(1, moved.getPayload().getPosition());
        assertEquals(1, position(12).getPosition());
        assertEquals(12L, ids(list(listing().limit(1).build())).get(0));

        BatchAnswer batch = queue.batchUpdatePriority(QueuingJobsApi.APIBatchUpdatePriorityRequest.newBuilder()
                .projectId(PROJECT).batchRequest(new BatchRequest().ids(List.of(6L, 3L, 6L)).priority(50)
                        .queueType(QueueType.PROCESSOR)).build());
        assertEquals(List.of(6L, 3L), List.copyOf(batch.getPayload().getIds()), "an id given twice counts once");
        assertEquals(50, batch.getPayload().getPriority());
        assertEquals(50, position(3).getPriority());
        assertEquals(50, position(6).getPriority());
        assertEquals(List.of(3L, 6L, 12L), ids(list(listing().limit(3).build())), "50 first, each by its rank_stamp");
    }

    @Test
    void refusalsSurfaceAsTheClientsApiExceptionWithTheErrorBody() throws Exception {
        ApiException badRequest = assertThrows(ApiException.class, () -> queue.listQueuedJobs(listing()
                .clusterType(ClusterType.MODELARTS).build()));
        assertEquals(400, badRequest.getCode());
        Error error = client(service.token()).getObjectMapper().readValue(badRequest.getResponseBody(), Error.class);
        assertEquals("octopus.400000", error.getErrorCode());
        assertTrue(error.getErrorMsg().contains("cluster_id"), error.getErrorMsg());

        QueuingJobsApi stranger = new QueuingJobsApi(client("not-a-token"));
        ApiException unauthorized = assertThrows(ApiException.class, () -> stranger.listQueuedJobs(listing().build()));
        assertEquals(401, unauthorized.getCode());
        assertTrue(unauthorized.getResponseBody().contains("\"error_code\":\"octopus.400001\""),
                unauthorized.getResponseBody());

        ApiException notQueued = assertThrows(ApiException.class, () -> position(99));
        assertEquals(404, notQueued.getCode());
    }

    /** The generated client on this instance, sending the token as the contract's X-Auth-Token scheme says. */
    private ApiClient client(String token) {
        ApiClient client = new ApiClient();
        client.updateBaseUri("http://127.0.0.1:" + service.app().httpPort());
        client.setRequestInterceptor(request -> request.header("X-Auth-Token", token));
        return client;
    }

    private static APIListQueuedJobsRequest.Builder listing() {
        return APIListQueuedJobsRequest.newBuilder().projectId(PROJECT).queueType(QueueType.PROCESSOR);
    }

    /** The queue's total, 0 while the view cannot answer yet. */
    private long listed() {
        try {
            return queue.listQueuedJobs(listing().build()).getPayload().getPageInfo().getTotal();
        } catch (ApiException notYet) {
            return 0;
        }
    }

    private ListAnswer list(APIListQueuedJobsRequest request) {
        try {
            return queue.listQueuedJobs(request);
        } catch (ApiException e) {
            throw new AssertionError(e.getCode() + " " + e.getResponseBody(), e);
        }
    }

    private EntryPosition position(long id) throws ApiException {
        return queue.getEntryPosition(QueuingJobsApi.APIGetEntryPositionRequest.newBuilder().projectId(PROJECT)
                .queueType(QueueType.PROCESSOR).id(id).build()).getPayload();
    }

    private static List<Long> ids(ListAnswer answer) {
        return answer.getPayload().getList().stream().map(Entry::getId).toList();
    }
}
