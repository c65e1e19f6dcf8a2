package io.queueview.bench;

/** Something that answers the benchmark's queries: queueview's store layer, or PostgreSQL. */
interface QueryTarget extends AutoCloseable {

    String name();

    Answer run(BenchQuery query) throws Exception;
}
