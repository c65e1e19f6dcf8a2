package io.queueview.bench;

import static java.nio.charset.StandardCharsets.UTF_8;

import io.queueview.query.Filters;
import io.queueview.queue.Entry;
import io.queueview.queue.QueueId;
import io.queueview.queue.QueueType;
import io.queueview.testing.Folders;
import io.queueview.testing.FreePort;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.UserPrincipalLookupService;
import java.nio.file.attribute.UserPrincipalNotFoundException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;
import org.postgresql.copy.CopyManager;
import org.postgresql.copy.PGCopyOutputStream;

/**
 * The benchmark's PostgreSQL baseline: a throwaway local cluster holding the same entries in one table, with
 * the indexes that suit the query mix, answering each query with the SQL a hand-written service would send.
 */
final class PostgresBaseline implements QueryTarget {

    static final String INSTALL_LINE = "apt-get install -y postgresql";

    private static final String ORDER = "priority DESC, rank_stamp, id";
    private static final String COLUMNS = "project_id, queue_type, id, job_id, priority, rank_stamp, processor_id, "
            + "source, processor_name, job_type, data_id, output_type, resource_spec, workspace_id, cluster_type, "
            + "cluster_id";
    /** Each filter gets its own (queue, filter columns, queue order) index, so a filtered page is a range scan. */
    private static final List<String> FILTER_INDEXES = List.of(
            "cluster_type, cluster_id", "data_id", "processor_name", "job_id", "job_type", "output_type");

    private static final String ENTRY =
            "SELECT " + COLUMNS + " FROM queue_entries WHERE project_id = ? AND queue_type = ? AND id = ?";
    /*
     * "Sorts before (p, r, i)" is priority > p OR (priority = p AND (rank_stamp, id) < (r, i)). Written as one OR
     * the planner cannot turn it into index ranges, so it is split into two counts, each a range of the order
     * index (the row comparison is an index condition on its rank_stamp, id columns).
     */
    private static final String ENTRIES_BEFORE = "SELECT"
            + " (SELECT count(*) FROM queue_entries WHERE project_id = ? AND queue_type = ? AND priority > ?)"
            + " + (SELECT count(*) FROM queue_entries WHERE project_id = ? AND queue_type = ? AND priority = ?"
            + " AND (rank_stamp, id) < (?, ?))";

    private final Cluster cluster;
    private final Connection connection;
    private final String version;
    private final PrintStream log;
    /** Prepared once per distinct SQL text: pgjdbc then switches them to server-side prepared statements. */
    private final Map<String, PreparedStatement> statements = new HashMap<>();

    private PostgresBaseline(Cluster cluster, Connection connection, PrintStream log) throws SQLException {
        this.cluster = cluster;
        this.connection = connection;
        this.log = log;
        this.version = serverVersion(connection);
    }

    /**
     * Starts a new cluster in a temporary folder under {@code folder}, or returns empty (saying so on the log)
     * when PostgreSQL's server binaries are not installed.
     */
    static Optional<PostgresBaseline> start(Path folder, PrintStream log)
            throws IOException, InterruptedException, SQLException {
        Optional<Path> bin = serverBinaries();
        if (bin.isEmpty()) {
            log.println("PostgreSQL is absent (no initdb/pg_ctl found), skipping its baseline; install it with: "
                    + INSTALL_LINE);
            return Optional.empty();
        }
        long started = System.nanoTime();
        Cluster cluster = Cluster.start(bin.get(), folder, log);
        Connection connection = null;
        try {
            connection = cluster.connect();
            PostgresBaseline baseline = new PostgresBaseline(cluster, connection, log);
            log.printf("%s started on 127.0.0.1:%d in %s (%s)%n", baseline.name(), cluster.port,
                    seconds(started), cluster.home);
            return Optional.of(baseline);
        } catch (Throwable failure) {
            if (connection != null) {
                connection.close();
            }
            cluster.closeAfter(failure);
            throw failure;
        }
    }

    @Override
    public String name() {
        return "PostgreSQL " + version;
    }

    /** Replaces the table's content with these entries (streamed: they are never all in memory). */
    void load(Iterator<Entry> entries) throws SQLException, IOException {
        closeStatements(); // they were prepared against the table this load replaces
        long started = System.nanoTime();
        long rows = copyIntoNewTable(entries);
        log.printf("PostgreSQL: loaded %,d entries in %s%n", rows, seconds(started));
        started = System.nanoTime();
        createIndexes();
        log.printf("PostgreSQL: created %d indexes in %s%n", FILTER_INDEXES.size() + 2, seconds(started));
        started = System.nanoTime();
        execute("VACUUM ANALYZE queue_entries");
        log.printf("PostgreSQL: VACUUM ANALYZE in %s%n", seconds(started));
    }

    @Override
    public Answer run(BenchQuery query) throws SQLException {
        return query.positionOf() == null ? page(query) : position(query);
    }

    @Override
    public void close() throws SQLException {
        try {
            closeStatements();
        } finally {
            try {
                connection.close();
            } finally {
                cluster.close();
            }
        }
    }

    // ---- loading

    /*
     * The table is created without its primary key and in the same transaction as the COPY: with
     * wal_level=minimal PostgreSQL then skips WAL for the copied rows, and building each index once after the
     * load is much faster than maintaining it row by row.
     */
    private long copyIntoNewTable(Iterator<Entry> entries) throws SQLException, IOException {
        connection.setAutoCommit(false);
        try {
            execute("DROP TABLE IF EXISTS queue_entries");
            execute("CREATE TABLE queue_entries (project_id text, queue_type text, id bigint, job_id bigint,"
                    + " priority int, rank_stamp bigint, processor_id bigint, source text, processor_name text,"
                    + " job_type text, data_id text, output_type text, resource_spec text, workspace_id text,"
                    + " cluster_type text, cluster_id text)");
            long rows = copy(entries);
            connection.commit();
            return rows;
        } catch (SQLException | IOException | RuntimeException failure) {
            connection.rollback();
            throw failure;
        } finally {
            connection.setAutoCommit(true);
        }
    }

    /** COPY in text format through buffered writers, so memory stays flat whatever the number of rows. */
    private long copy(Iterator<Entry> entries) throws SQLException, IOException {
        CopyManager copyManager = connection.unwrap(PGConnection.class).getCopyAPI();
        CopyIn copyIn = copyManager.copyIn("COPY queue_entries (" + COLUMNS + ") FROM STDIN");
        try {
            // the writers only buffer: closing them ends the COPY, which only a complete load should do
            Writer out = new BufferedWriter(new OutputStreamWriter(new PGCopyOutputStream(copyIn, 1 << 16), UTF_8),
                    1 << 16);
            long rows = 0;
            StringBuilder row = new StringBuilder(256);
            while (entries.hasNext()) {
                row.setLength(0);
                appendRow(row, entries.next());
                out.append(row);
                rows++;
            }
            out.close();
            return rows;
        } finally {
            if (copyIn.isActive()) {
                copyIn.cancelCopy(); // a failed load: the server drops what was sent
            }
        }
    }

    private static void appendRow(StringBuilder row, Entry entry) {
        appendText(row, entry.queue().projectId()).append('\t');
        appendText(row, entry.queue().type().name()).append('\t');
        row.append(entry.id()).append('\t');
        row.append(entry.jobId()).append('\t');
        row.append(entry.priority()).append('\t');
        row.append(entry.rankStamp()).append('\t');
        appendNumber(row, entry.processorId()).append('\t');
        appendText(row, entry.source()).append('\t');
        appendText(row, entry.processorName()).append('\t');
        appendText(row, entry.jobType()).append('\t');
        appendText(row, entry.dataId()).append('\t');
        appendText(row, entry.outputType()).append('\t');
        appendText(row, entry.resourceSpec()).append('\t');
        appendText(row, entry.workspaceId()).append('\t');
        appendText(row, entry.clusterType()).append('\t');
        appendText(row, entry.clusterId()).append('\n');
    }

    private static StringBuilder appendNumber(StringBuilder row, Long value) {
        return value == null ? row.append("\\N") : row.append(value.longValue());
    }

    /** A field of COPY's text format: \N for null; backslash, tab, newline and carriage return escaped. */
    private static StringBuilder appendText(StringBuilder row, String value) {
        if (value == null) {
            return row.append("\\N");
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '\\' -> row.append("\\\\");
                case '\t' -> row.append("\\t");
                case '\n' -> row.append("\\n");
                case '\r' -> row.append("\\r");
                case '\0' -> throw new IllegalArgumentException("PostgreSQL text cannot hold a NUL character: "
                        + value.replace('\0', '?'));
                default -> row.append(c);
            }
        }
        return row;
    }

    private void createIndexes() throws SQLException {
        // INCLUDE lets the position lookup's primary-key probe be an index-only scan
        execute("ALTER TABLE queue_entries ADD PRIMARY KEY (project_id, queue_type, id)"
                + " INCLUDE (priority, rank_stamp)");
        execute("CREATE INDEX queue_entries_by_order ON queue_entries (project_id, queue_type, " + ORDER + ")");
        for (String columns : FILTER_INDEXES) {
            execute("CREATE INDEX queue_entries_by_" + columns.replace(", ", "_") + " ON queue_entries"
                    + " (project_id, queue_type, " + columns + ", " + ORDER + ")");
        }
    }

    private void execute(String sql) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }

    // ---- queries

    private Answer page(BenchQuery query) throws SQLException {
        Where where = Where.of(query.queue(), query.filters());
        // every column the API returns, as queueview reads whole entries: selecting ids alone let PostgreSQL
        // answer from its index without reading the rows
        PreparedStatement select = prepared("SELECT " + COLUMNS + " FROM queue_entries WHERE " + where.sql()
                + " ORDER BY " + ORDER + " LIMIT ? OFFSET ?");
        int next = where.bind(select);
        select.setInt(next, query.limit());
        select.setInt(next + 1, query.offset());
        List<Entry> entries = new ArrayList<>(query.limit());
        try (ResultSet rows = select.executeQuery()) {
            while (rows.next()) {
                entries.add(entry(rows));
            }
        }
        PreparedStatement count = prepared("SELECT count(*) FROM queue_entries WHERE " + where.sql());
        where.bind(count);
        return new Answer(entries, singleLong(count));
    }

    private Answer position(BenchQuery query) throws SQLException {
        long id = query.positionOf();
        String projectId = query.queue().projectId();
        String queueType = query.queue().type().name();
        PreparedStatement lookup = prepared(ENTRY);
        lookup.setString(1, projectId);
        lookup.setString(2, queueType);
        lookup.setLong(3, id);
        Entry entry;
        try (ResultSet row = lookup.executeQuery()) {
            if (!row.next()) {
                return new Answer(List.of(), 0);
            }
            entry = entry(row);
        }
        int priority = entry.priority();
        long rankStamp = entry.rankStamp();
        PreparedStatement before = prepared(ENTRIES_BEFORE);
        before.setString(1, projectId);
        before.setString(2, queueType);
        before.setInt(3, priority);
        before.setString(4, projectId);
        before.setString(5, queueType);
        before.setInt(6, priority);
        before.setLong(7, rankStamp);
        before.setLong(8, id);
        return new Answer(List.of(entry), singleLong(before) + 1);
    }

    /** A row of {@link #COLUMNS} as an entry. */
    private static Entry entry(ResultSet row) throws SQLException {
        Long processorId = row.getLong("processor_id");
        if (row.wasNull()) {
            processorId = null;
        }
        return new Entry(new QueueId(row.getString("project_id"), QueueType.valueOf(row.getString("queue_type"))),
                row.getLong("id"), row.getLong("job_id"), row.getInt("priority"), row.getLong("rank_stamp"),
                processorId, row.getString("source"), row.getString("processor_name"),
                row.getString("job_type"), row.getString("data_id"), row.getString("output_type"),
                row.getString("resource_spec"), row.getString("workspace_id"), row.getString("cluster_type"),
                row.getString("cluster_id"));
    }

    private PreparedStatement prepared(String sql) throws SQLException {
        PreparedStatement statement = statements.get(sql);
        if (statement == null) {
            statement = connection.prepareStatement(sql);
            statements.put(sql, statement);
        }
        return statement;
    }

    private static long singleLong(PreparedStatement statement) throws SQLException {
        try (ResultSet row = statement.executeQuery()) {
            row.next();
            return row.getLong(1);
        }
    }

    private void closeStatements() throws SQLException {
        SQLException first = null;
        for (PreparedStatement statement : statements.values()) {
            try {
                statement.close();
            } catch (SQLException e) {
                first = first == null ? e : first;
            }
        }
        statements.clear();
        if (first != null) {
            throw first;
        }
    }

    /**
     * The WHERE clause of a page: the queue, then one equality per non-null filter in a fixed order, so equal
     * filter sets give equal SQL text (and share a prepared statement).
     */
    private record Where(List<Object> values, String sql) {

        static Where of(QueueId queue, Filters filters) {
            List<Object> values = new ArrayList<>();
            StringBuilder sql = new StringBuilder("project_id = ? AND queue_type = ?");
            values.add(queue.projectId());
            values.add(queue.type().name());
            Object[][] conditions = {
                    {"job_id", filters.jobId()}, {"output_type", filters.outputType()},
                    {"job_type", filters.jobType()}, {"data_id", filters.dataId()},
                    {"processor_name", filters.processorName()}, {"cluster_type", filters.clusterType()},
                    {"cluster_id", filters.clusterId()}};
            for (Object[] condition : conditions) {
                if (condition[1] != null) {
                    sql.append(" AND ").append(condition[0]).append(" = ?");
                    values.add(condition[1]);
                }
            }
            return new Where(values, sql.toString());
        }

        /** Binds the values from parameter 1 on; returns the next free parameter index. */
        int bind(PreparedStatement statement) throws SQLException {
            int index = 1;
            for (Object value : values) {
                if (value instanceof Long number) {
                    statement.setLong(index++, number);
                } else {
                    statement.setString(index++, (String) value);
                }
            }
            return index;
        }
    }

    // ---- finding the server

    /** The folder of the newest installed initdb and pg_ctl: Debian's /usr/lib/postgresql/N/bin, else the PATH. */
    static Optional<Path> serverBinaries() throws IOException {
        Path debian = Path.of("/usr/lib/postgresql");
        if (Files.isDirectory(debian)) {
            try (Stream<Path> versions = Files.list(debian)) {
                Optional<Path> newest = versions
                        .filter(version -> version.getFileName().toString().matches("\\d+(\\.\\d+)?"))
                        .map(version -> version.resolve("bin"))
                        .filter(PostgresBaseline::hasServerBinaries)
                        .max(Comparator.comparingDouble(
                                bin -> Double.parseDouble(bin.getParent().getFileName().toString())));
                if (newest.isPresent()) {
                    return newest;
                }
            }
        }
        String path = System.getenv().getOrDefault("PATH", "");
        return Stream.of(path.split(java.io.File.pathSeparator))
                .filter(folder -> !folder.isEmpty())
                .map(Path::of)
                .filter(PostgresBaseline::hasServerBinaries)
                .findFirst();
    }

    private static boolean hasServerBinaries(Path bin) {
        return Files.isExecutable(bin.resolve("initdb")) && Files.isExecutable(bin.resolve("pg_ctl"));
    }

    private static String serverVersion(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement();
             ResultSet row = statement.executeQuery("SHOW server_version")) {
            row.next();
            // Debian adds " (Debian 15.13-0+deb12u1)": keep the number
            return row.getString(1).split(" ")[0];
        }
    }

    private static String seconds(long startedNanos) {
        return String.format("%.2f s", (System.nanoTime() - startedNanos) / 1e9);
    }

    /**
     * One throwaway cluster: its temporary home (data folder, Unix socket, log), the server process started by
     * pg_ctl, and a shutdown hook so the server never outlives the JVM.
     */
    private static final class Cluster implements AutoCloseable {

        private static final Duration START_TIMEOUT = Duration.ofSeconds(120);
        private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(30);
        /* A Unix socket's path must fit sockaddr_un.sun_path (108 bytes on Linux, with its NUL). */
        private static final int MAX_SOCKET_PATH = 107;

        private final Path bin;
        private final Path home;
        private final Path data;
        private final int port;
        /* initdb and postgres refuse to run as root: as root, run them as the postgres OS user. */
        private final boolean asRoot;
        private final Thread shutdownHook = new Thread(this::stopQuietly, "stop-postgres");
        private boolean running;

        private Cluster(Path bin, Path home, int port, boolean asRoot) {
            this.bin = bin;
            this.home = home;
            this.data = home.resolve("data");
            this.port = port;
            this.asRoot = asRoot;
        }

        static Cluster start(Path bin, Path folder, PrintStream log) throws IOException, InterruptedException {
            boolean asRoot = "root".equals(System.getProperty("user.name"));
            Path home = asRoot ? homeForServerUser(folder, log) : Files.createTempDirectory(
                    Files.createDirectories(folder), "postgres-");
            Cluster cluster = new Cluster(bin, home, FreePort.find(), asRoot);
            try {
                cluster.run(START_TIMEOUT, "initdb", "-D", cluster.data.toString(), "-U", "postgres",
                        "--auth=trust", "--encoding=UTF8", "--locale=C", "--no-sync");
                cluster.configure();
                cluster.startServer();
                return cluster;
            } catch (Throwable failure) {
                cluster.closeAfter(failure);
                throw failure;
            }
        }

        /**
         * As root, the home must belong to the postgres user, and that user must be able to enter every folder
         * above it. A 0700 parent (JUnit's @TempDir is one) forbids that: then the home goes to the system's
         * temporary folder instead, which anyone may enter.
         */
        private static Path homeForServerUser(Path folder, PrintStream log) throws IOException, InterruptedException {
            Path home = Files.createTempDirectory(Files.createDirectories(folder), "postgres-");
            handToServerUser(home);
            if (serverUserCanWrite(home)) {
                return home;
            }
            Files.delete(home);
            Path fallback = Files.createTempDirectory("queueview-postgres-");
            handToServerUser(fallback);
            if (!serverUserCanWrite(fallback)) {
                Files.delete(fallback);
                throw new IOException("the postgres OS user can enter neither " + folder + " nor " + fallback
                        + ": give the benchmark a folder whose parents it may enter");
            }
            log.println("PostgreSQL: the postgres OS user cannot enter " + folder + ", so the cluster lives in "
                    + fallback + " (deleted on close)");
            return fallback;
        }

        private static void handToServerUser(Path home) throws IOException {
            UserPrincipalLookupService users = home.getFileSystem().getUserPrincipalLookupService();
            PosixFileAttributeView owner = Files.getFileAttributeView(home, PosixFileAttributeView.class);
            try {
                owner.setOwner(users.lookupPrincipalByName("postgres"));
                owner.setGroup(users.lookupPrincipalByGroupName("postgres"));
            } catch (UserPrincipalNotFoundException e) {
                Files.delete(home);
                throw new IOException("running as root needs the postgres OS user (" + INSTALL_LINE
                        + " creates it)", e);
            }
        }

        private static boolean serverUserCanWrite(Path home) throws IOException, InterruptedException {
            Process probe = new ProcessBuilder("runuser", "-u", "postgres", "--", "test", "-w", home.toString())
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            if (!probe.waitFor(30, TimeUnit.SECONDS)) {
                probe.destroyForcibly();
                throw new IOException("runuser did not answer within 30 s");
            }
            return probe.exitValue() == 0;
        }

        /*
         * A throwaway cluster for a read benchmark on a 2-core / 24 GiB machine. Durability is off (fsync,
         * synchronous_commit, full_page_writes): the data is reloaded on every run and a crash only costs a
         * rerun, while the load gets faster and the measured reads are unaffected.
         */
        private void configure() throws IOException {
            String socketFolder = home.toString();
            boolean socketFits = (socketFolder + "/.s.PGSQL." + port).getBytes(UTF_8).length <= MAX_SOCKET_PATH;
            String settings = String.join("\n",
                    "",
                    "# queueview benchmark baseline",
                    "listen_addresses = '127.0.0.1'",
                    "port = " + port,
                    // a too long path would stop the server from starting; JDBC only needs TCP
                    "unix_socket_directories = '" + (socketFits ? socketFolder.replace("'", "''") : "") + "'",
                    "shared_buffers = 1GB",
                    "effective_cache_size = 16GB",
                    "work_mem = 64MB",
                    "maintenance_work_mem = 1GB",
                    // the table and its indexes fit in memory: random reads cost about what sequential ones do
                    "random_page_cost = 1.1",
                    "fsync = off",
                    "synchronous_commit = off",
                    "full_page_writes = off",
                    // lets COPY into a table created in the same transaction skip WAL
                    "wal_level = minimal",
                    "max_wal_senders = 0",
                    "max_wal_size = 8GB",
                    // the load ends with an explicit VACUUM ANALYZE; no background work during the measurement
                    "autovacuum = off",
                    // JIT compiles per execution: pure overhead for millisecond queries
                    "jit = off",
                    "");
            Files.writeString(data.resolve("postgresql.conf"), settings, StandardOpenOption.APPEND);
        }

        private void startServer() throws IOException, InterruptedException {
            Runtime.getRuntime().addShutdownHook(shutdownHook);
            synchronized (this) {
                running = true; // set before pg_ctl: a start that fails half-way is still stopped
            }
            run(START_TIMEOUT, "pg_ctl", "start", "-D", data.toString(), "-l", home.resolve("server.log").toString(),
                    "-w", "-t", Long.toString(START_TIMEOUT.toSeconds()));
        }

        /** pg_ctl -w has waited for the server; still retry briefly, in case it accepts TCP a moment later. */
        Connection connect() throws SQLException, InterruptedException {
            Properties properties = new Properties();
            properties.setProperty("user", "postgres");
            String url = "jdbc:postgresql://127.0.0.1:" + port + "/postgres";
            long deadline = System.nanoTime() + CONNECT_TIMEOUT.toNanos();
            while (true) {
                try {
                    return DriverManager.getConnection(url, properties);
                } catch (SQLException refused) {
                    if (System.nanoTime() > deadline) {
                        throw refused;
                    }
                    Thread.sleep(200);
                }
            }
        }

        /** Runs one of the server's programs (as the postgres user when root); its output goes to a file. */
        private void run(Duration timeout, String program, String... arguments)
                throws IOException, InterruptedException {
            List<String> command = new ArrayList<>();
            command.add(bin.resolve(program).toString());
            command.addAll(List.of(arguments));
            Path output = home.resolve(program + ".out");
            Process process = new ProcessBuilder(asServerUser(command)).directory(home.toFile())
                    .redirectErrorStream(true).redirectOutput(output.toFile()).start();
            if (!process.waitFor(timeout.toSeconds(), TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IOException(program + " did not finish within " + timeout.toSeconds() + " s");
            }
            if (process.exitValue() != 0) {
                throw new IOException(program + " failed with exit code " + process.exitValue() + ":\n"
                        + Files.readString(output) + serverLog());
            }
        }

        private List<String> asServerUser(List<String> command) {
            if (!asRoot) {
                return command;
            }
            List<String> wrapped = new ArrayList<>(List.of("runuser", "-u", "postgres", "--"));
            wrapped.addAll(command);
            return wrapped;
        }

        private String serverLog() {
            Path log = home.resolve("server.log");
            try {
                return Files.exists(log) ? "server log:\n" + Files.readString(log) : "";
            } catch (IOException e) {
                return "";
            }
        }

        /** Stops the server started here (pg_ctl addresses it through this data folder) and deletes the home. */
        @Override
        public void close() {
            try {
                stop();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                forgetShutdownHook();
                deleteHome();
            }
        }

        /** Cleans up after a failed start without hiding why it failed. */
        void closeAfter(Throwable failure) {
            try {
                close();
            } catch (RuntimeException cleanup) {
                failure.addSuppressed(cleanup);
            }
        }

        /*
         * No postmaster.pid means no server (it never started, or already stopped). If a fast stop fails, an
         * immediate one still ends the server, so it never outlives the benchmark.
         */
        private synchronized void stop() throws IOException, InterruptedException {
            if (!running || !Files.exists(data.resolve("postmaster.pid"))) {
                running = false;
                return;
            }
            try {
                run(START_TIMEOUT, "pg_ctl", "stop", "-D", data.toString(), "-m", "fast", "-w");
            } catch (IOException fastStopFailed) {
                run(START_TIMEOUT, "pg_ctl", "stop", "-D", data.toString(), "-m", "immediate", "-w");
                throw fastStopFailed;
            } finally {
                running = false;
            }
        }

        private void stopQuietly() {
            try {
                stop();
            } catch (IOException | InterruptedException e) {
                System.err.println("could not stop the PostgreSQL baseline in " + home + ": " + e.getMessage());
            }
        }

        private void forgetShutdownHook() {
            try {
                Runtime.getRuntime().removeShutdownHook(shutdownHook);
            } catch (IllegalStateException shuttingDown) {
                // the JVM is exiting: the hook runs (or ran) stop() itself
            }
        }

        private void deleteHome() {
            try {
                Folders.delete(home);
            } catch (IOException e) {
                throw new UncheckedIOException("could not delete " + home, e);
            }
        }
    }
}
