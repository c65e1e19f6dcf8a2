package io.queueview.event;

import static io.queueview.testing.EventJson.dequeued;
import static io.queueview.testing.EventJson.enqueued;
import static io.queueview.testing.EventJson.updated;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.queueview.queue.Entry;
import io.queueview.queue.QueueId;
import io.queueview.queue.QueueType;
import io.queueview.testing.EventJson;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class EventParserTest {

    private static final QueueId QUEUE = new QueueId("p", QueueType.PROCESSOR);

    @Test
    void readsEnqueuedWithEveryField() throws ContractViolation {
        QueueEvent event = EventParser.parse(enqueued("p", "PROCESSOR", 5).version(3).with("event_time", 99)
                .with("priority", -50).with("rank_stamp", -7).with("processor_id", 11).with("source", "UI")
                .with("processor_name", "lane").with("job_type", "FRAME_EXTRACT").with("data_id", "DPK1")
                .with("output_type", "DATA_MARK").with("resource_spec", "1Core_4GiB").with("workspace_id", "w")
                .with("cluster_type", "CCE").with("cluster_id", "c").bytes());
        assertEquals(new JobEnqueued(new Entry(QUEUE, 5, 5, -50, -7, 11L, "UI", "lane", "FRAME_EXTRACT", "DPK1",
                "DATA_MARK", "1Core_4GiB", "w", "CCE", "c"), 3L), event);
    }

    @Test
    void readsUpdatedWithOnlyTheFieldsItCarries() throws ContractViolation {
        QueueEvent event = EventParser.parse(updated("p", "PROCESSOR", 5).with("priority", 7).bytes());
        assertEquals(new JobUpdated(QUEUE, 5, null, 7, null, null, null, null), event);
    }

    @Test
    void readsDequeuedWithAnyReason() throws ContractViolation {
        QueueEvent event = EventParser.parse(dequeued("p", "RESIM", 5).version(2).with("reason", "PREEMPTED").bytes());
        assertEquals(new JobDequeued(new QueueId("p", QueueType.RESIM), 5, 2L, "PREEMPTED"), event);
    }

    @Test
    void keepsWordsThisVersionDoesNotKnow() throws ContractViolation {
        JobEnqueued event = (JobEnqueued) EventParser.parse(enqueued("p", "PROCESSOR", 1)
                .with("job_type", "LIDAR_DENOISE").with("output_type", "POINT_CLOUD").with("cluster_type", "EDGE")
                .bytes());
        assertEquals("LIDAR_DENOISE", event.entry().jobType());
        assertEquals("POINT_CLOUD", event.entry().outputType());
        assertEquals("EDGE", event.entry().clusterType());
    }

    @Test
    void ignoresUnknownFieldsAndTreatsNullAsAbsent() throws ContractViolation {
        JobEnqueued event = (JobEnqueued) EventParser.parse(
                enqueued("p", "INTERNAL", 1).with("shiny_new_field", "x").bytes());
        assertNull(event.entry().clusterId());
        QueueEvent withNull = EventParser.parse(
                "{\"event_type\":\"JOB_DEQUEUED\",\"project_id\":\"p\",\"queue_type\":\"INTERNAL\",\"id\":1,\"version\":null}"
                        .getBytes(StandardCharsets.UTF_8));
        assertNull(withNull.version());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            not JSON                  | {"event_type":                                                  | value is not JSON
            a JSON array              | [1,2]                                                           | value is not a JSON object
            a JSON string             | "JOB_ENQUEUED"                                                  | value is not a JSON object
            no event_type             | {"project_id":"p","queue_type":"INTERNAL","id":1}               | event_type is required
            unknown event_type        | {"event_type":"JOB_PAUSED","project_id":"p","queue_type":"INTERNAL","id":1} | event_type 'JOB_PAUSED' is not
            unknown queue_type        | {"event_type":"JOB_DEQUEUED","project_id":"p","queue_type":"GPU","id":1}    | queue_type 'GPU' is not
            empty project_id          | {"event_type":"JOB_DEQUEUED","project_id":"","queue_type":"INTERNAL","id":1} | project_id must have 1..64
            project_id not a string   | {"event_type":"JOB_DEQUEUED","project_id":7,"queue_type":"INTERNAL","id":1}  | project_id must be a string
            no id                     | {"event_type":"JOB_DEQUEUED","project_id":"p","queue_type":"INTERNAL"}       | id is required
            id a string               | {"event_type":"JOB_DEQUEUED","project_id":"p","queue_type":"INTERNAL","id":"1"} | id must be an integer
            id a fraction             | {"event_type":"JOB_DEQUEUED","project_id":"p","queue_type":"INTERNAL","id":1.5} | id must be an integer
            id beyond 64 bits         | {"event_type":"JOB_DEQUEUED","project_id":"p","queue_type":"INTERNAL","id":99999999999999999999} | id must be an integer
            version a string          | {"event_type":"JOB_DEQUEUED","project_id":"p","queue_type":"INTERNAL","id":1,"version":"2"} | version must be an integer
            enqueued without job_id   | {"event_type":"JOB_ENQUEUED","project_id":"p","queue_type":"INTERNAL","id":1,"priority":0,"rank_stamp":1} | job_id is required
            enqueued without priority | {"event_type":"JOB_ENQUEUED","project_id":"p","queue_type":"INTERNAL","id":1,"job_id":1,"rank_stamp":1} | priority is required
            enqueued without rank     | {"event_type":"JOB_ENQUEUED","project_id":"p","queue_type":"INTERNAL","id":1,"job_id":1,"priority":0} | rank_stamp is required
            priority above 50         | {"event_type":"JOB_ENQUEUED","project_id":"p","queue_type":"INTERNAL","id":1,"job_id":1,"priority":51,"rank_stamp":1} | priority 51 is outside -50..50
            priority below -50        | {"event_type":"JOB_UPDATED","project_id":"p","queue_type":"INTERNAL","id":1,"priority":-51} | priority -51 is outside -50..50
            data_id not a string      | {"event_type":"JOB_ENQUEUED","project_id":"p","queue_type":"INTERNAL","id":1,"job_id":1,"priority":0,"rank_stamp":1,"data_id":5} | data_id must be a string
            """)
    void rejectsEveryContractViolationWithItsReason(String name, String json, String reason) {
        ContractViolation violation = assertThrows(ContractViolation.class,
                () -> EventParser.parse(json.getBytes(StandardCharsets.UTF_8)));
        assertTrue(violation.getMessage().startsWith(reason), violation.getMessage());
    }

    @Test
    void rejectsANullValue() {
        assertEquals("value is null", assertThrows(ContractViolation.class, () -> EventParser.parse(null)).getMessage());
    }

    @Test
    void rejectsAProjectIdLongerThan64Characters() {
        assertThrows(ContractViolation.class, () -> EventParser.parse(dequeued("p".repeat(65), "INTERNAL", 1).bytes()));
        assertInstanceOf(JobDequeued.class, assertDoesNotFail(dequeued("p".repeat(64), "INTERNAL", 1)));
    }

    @Test
    void rejectsAValueOver64KiB() {
        EventJson big = enqueued("p", "INTERNAL", 1).with("resource_spec", "x".repeat(EventParser.MAX_VALUE_BYTES));
        ContractViolation violation = assertThrows(ContractViolation.class, () -> EventParser.parse(big.bytes()));
        assertTrue(violation.getMessage().contains("more than 65536"), violation.getMessage());
    }

    private static final String DEQUEUED = "{\"event_type\":\"JOB_DEQUEUED\",\"project_id\":\"p\",\"queue_type\":\"INTERNAL\",\"id\":1";

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', textBlock = """
            data after the object     | {"event_type":"JOB_DEQUEUED","project_id":"p","queue_type":"INTERNAL","id":1} x     | value has data after its JSON object
            two objects               | {"event_type":"JOB_DEQUEUED","project_id":"p","queue_type":"INTERNAL","id":1}{"id":2} | value has data after its JSON object
            two objects on two lines  | `{"event_type":"JOB_DEQUEUED","project_id":"p","queue_type":"INTERNAL","id":1}
{}` | value has data after its JSON object
            a key twice               | {"event_type":"JOB_UPDATED","project_id":"p","queue_type":"INTERNAL","id":1,"priority":1,"rank_stamp":2,"priority":7} | value has the key 'priority' more than once
            a key twice, same value   | {"event_type":"JOB_DEQUEUED","project_id":"p","queue_type":"INTERNAL","id":1,"id":1} | value has the key 'id' more than once
            an unknown key twice      | {"event_type":"JOB_DEQUEUED","project_id":"p","queue_type":"INTERNAL","id":1,"x":{"y":1,"y":2}} | value has the key 'y' more than once
            """)
    void rejectsAValueThatIsNotExactlyOneObjectWithEachKeyOnce(String name, String json, String reason) {
        ContractViolation violation = assertThrows(ContractViolation.class,
                () -> EventParser.parse(json.getBytes(StandardCharsets.UTF_8)));
        assertEquals(reason, violation.getMessage());
    }

    @Test
    void rejectsTwoObjectsOnTwoLines() {
        ContractViolation violation = assertThrows(ContractViolation.class,
                () -> EventParser.parse((DEQUEUED + "}\n" + DEQUEUED + "}").getBytes(StandardCharsets.UTF_8)));
        assertEquals("value has data after its JSON object", violation.getMessage());
    }

    @Test
    void acceptsWhitespaceAroundTheObject() throws ContractViolation {
        assertInstanceOf(JobDequeued.class, EventParser.parse((" \n" + DEQUEUED + "}\r\n\t ").getBytes(StandardCharsets.UTF_8)));
    }

    /** Bytes of ill-formed UTF-8 (Unicode Table 3-7), in a text and in a key; Jackson lets some of them through. */
    @ParameterizedTest(name = "{0} in a {2}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', textBlock = """
            overlong '/' (C0 AF)            | C0AF     | text
            overlong '/' (C0 AF)            | C0AF     | key
            overlong 3 bytes (E0 80 AF)     | E080AF   | text
            lone continuation byte          | 80       | text
            lone continuation byte          | BF       | key
            UTF-16 surrogate (ED A0 80)     | EDA080   | text
            sequence cut off                | E282     | text
            code point above U+10FFFF       | F4908080 | text
            lead byte F5                    | F5808080 | text
            byte FF                         | FF       | text
            """)
    void rejectsIllFormedUtf8WhereverItIs(String name, String hex, String where) {
        String before = where.equals("key") ? "{\"" : DEQUEUED + ",\"reason\":\"";
        String after = where.equals("key") ? "\":1," + DEQUEUED.substring(1) + "}" : "\"}";
        byte[] value = concat(before, HexFormat.of().parseHex(hex), after);
        ContractViolation violation = assertThrows(ContractViolation.class, () -> EventParser.parse(value));
        assertEquals("value is not valid UTF-8: an overlong, invalid or cut-off sequence at byte " + before.length(),
                violation.getMessage());
    }

    @Test
    void rejectsIllFormedUtf8CutOffAtTheEnd() {
        byte[] value = concat(DEQUEUED + "}", HexFormat.of().parseHex("E282"), "");
        ContractViolation violation = assertThrows(ContractViolation.class, () -> EventParser.parse(value));
        assertTrue(violation.getMessage().startsWith("value is not valid UTF-8"), violation.getMessage());
    }

    @Test
    void readsEveryWellFormedUtf8Length() throws ContractViolation {
        String text = "é 车道 😀 \uFFFF \uD7FF"; // 2, 3 and 4 bytes, and the code points next to the surrogates
        JobDequeued event = (JobDequeued) EventParser.parse(
                dequeued("p", "INTERNAL", 1).with("reason", text).bytes());
        assertEquals(text, event.reason());
    }

    private static byte[] concat(String before, byte[] middle, String after) {
        byte[] head = before.getBytes(StandardCharsets.UTF_8);
        byte[] tail = after.getBytes(StandardCharsets.UTF_8);
        byte[] all = new byte[head.length + middle.length + tail.length];
        System.arraycopy(head, 0, all, 0, head.length);
        System.arraycopy(middle, 0, all, head.length, middle.length);
        System.arraycopy(tail, 0, all, head.length + middle.length, tail.length);
        return all;
    }

    private static QueueEvent assertDoesNotFail(EventJson event) {
        try {
            return EventParser.parse(event.bytes());
        } catch (ContractViolation e) {
            throw new AssertionError(e.getMessage());
        }
    }
}
