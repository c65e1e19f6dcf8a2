package io.queueview.testing;

import static org.apache.kafka.common.acl.AclOperation.ALTER_CONFIGS;
import static org.apache.kafka.common.acl.AclOperation.CREATE;
import static org.apache.kafka.common.acl.AclOperation.DELETE;
import static org.apache.kafka.common.acl.AclOperation.READ;
import static org.apache.kafka.common.acl.AclOperation.WRITE;
import static org.apache.kafka.common.resource.PatternType.LITERAL;
import static org.apache.kafka.common.resource.PatternType.PREFIXED;
import static org.apache.kafka.common.resource.ResourceType.GROUP;
import static org.apache.kafka.common.resource.ResourceType.TOPIC;
import static org.apache.kafka.common.resource.ResourceType.TRANSACTIONAL_ID;

import io.queueview.app.EmbeddedKafka;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ScramCredentialInfo;
import org.apache.kafka.clients.admin.ScramMechanism;
import org.apache.kafka.clients.admin.UserScramCredentialUpsertion;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AccessControlEntryFilter;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclBindingFilter;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourcePatternFilter;
import org.apache.kafka.common.resource.ResourceType;

/**
 * Apache Kafka's KRaft broker secured as a platform team runs one: a SASL_SSL listener (SCRAM-SHA-512 users, and
 * SASL/PLAIN as cloud providers offer), an SSL listener that requires a client certificate (the principal is its
 * common name), TLS from a test CA, and StandardAuthorizer with allow.everyone.if.no.acl.found=false. Its PLAINTEXT
 * listener is the inter-broker one, and its anonymous principal the super user: the test's admin, who creates users
 * and ACLs. One broker per test class (or benchmark). It also makes what a queueview coming in one {@link WayIn}
 * needs: the client properties file, a {@link ServiceInstance.Group} using it, and the ACLs docs/kafka-security.md
 * lists.
 */
public final class SecuredBroker implements AutoCloseable {

    /** The SCRAM-SHA-512 user the broker is given at start (with the admin API), and its password. */
    public static final String SCRAM_USER = "queueview";
    public static final String SCRAM_PASSWORD = "scram-secret-7f3a";
    /** The SASL/PLAIN user the listener knows, and its password. */
    public static final String PLAIN_USER = "queueview-plain";
    public static final String PLAIN_PASSWORD = "plain-secret";
    /** The common name of the client certificate the mTLS way in presents: its principal. */
    public static final String TLS_USER = "queueview-tls";
    /** The environment variable the SCRAM client properties take the password from (Kafka's config provider). */
    public static final String PASSWORD_VARIABLE = "QV_KAFKA_PASSWORD";

    /** How a client comes in, and the principal it gets. */
    public enum WayIn {
        SCRAM("SASL_SSL, SCRAM-SHA-512", "User:" + SCRAM_USER),
        PLAIN("SASL_SSL, PLAIN", "User:" + PLAIN_USER),
        CLIENT_CERTIFICATE("SSL with a client certificate", "User:" + TLS_USER);

        private final String label;
        private final String principal;

        WayIn(String label, String principal) {
            this.label = label;
            this.principal = principal;
        }

        public String principal() {
            return principal;
        }

        @Override
        public String toString() {
            return label;
        }
    }

    private final EmbeddedKafka broker;
    private final TestCertificates certificates;
    private final int saslSslPort;
    private final int mtlsPort;
    private final Admin admin;

    private SecuredBroker(EmbeddedKafka broker, TestCertificates certificates, int saslSslPort, int mtlsPort) {
        this.broker = broker;
        this.certificates = certificates;
        this.saslSslPort = saslSslPort;
        this.mtlsPort = mtlsPort;
        this.admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()));
    }

    public static SecuredBroker start(Path folder) throws IOException, InterruptedException {
        TestCertificates certificates = TestCertificates.createIn(folder.resolve("tls"));
        Path brokerStore = certificates.keystore("localhost");
        int saslSslPort = FreePort.find();
        int mtlsPort = FreePort.find();
        Map<String, String> settings = Map.ofEntries(
                Map.entry("authorizer.class.name", "org.apache.kafka.metadata.authorizer.StandardAuthorizer"),
                Map.entry("allow.everyone.if.no.acl.found", "false"),
                Map.entry("super.users", "User:ANONYMOUS"),
                Map.entry("ssl.keystore.type", "PKCS12"),
                Map.entry("ssl.keystore.location", brokerStore.toString()),
                Map.entry("ssl.keystore.password", TestCertificates.PASSWORD),
                Map.entry("ssl.key.password", TestCertificates.PASSWORD),
                Map.entry("ssl.truststore.type", "PKCS12"),
                Map.entry("ssl.truststore.location", certificates.truststore().toString()),
                Map.entry("ssl.truststore.password", TestCertificates.PASSWORD),
                Map.entry("ssl.principal.mapping.rules", "RULE:^CN=([^,]+)$/$1/,DEFAULT"),
                Map.entry("listener.name.mtls.ssl.client.auth", "required"),
                Map.entry("sasl.enabled.mechanisms", "SCRAM-SHA-512,PLAIN"),
                Map.entry("listener.name.sasl_ssl.scram-sha-512.sasl.jaas.config",
                        "org.apache.kafka.common.security.scram.ScramLoginModule required;"),
                Map.entry("listener.name.sasl_ssl.plain.sasl.jaas.config",
                        "org.apache.kafka.common.security.plain.PlainLoginModule required user_" + PLAIN_USER
                                + "=\"" + PLAIN_PASSWORD + "\";"));
        EmbeddedKafka broker = EmbeddedKafka.start(Files.createDirectories(folder.resolve("kafka")), 0, List.of(
                new EmbeddedKafka.Listener("SASL_SSL", "SASL_SSL", saslSslPort),
                new EmbeddedKafka.Listener("MTLS", "SSL", mtlsPort)), settings);
        SecuredBroker secured = new SecuredBroker(broker, certificates, saslSslPort, mtlsPort);
        try {
            secured.addScramUser(SCRAM_USER, SCRAM_PASSWORD);
        } catch (ExecutionException e) {
            secured.close();
            throw new IllegalStateException("could not add the SCRAM user", e);
        }
        return secured;
    }

    public TestCertificates certificates() {
        return certificates;
    }

    /** The SASL_SSL listener (SCRAM-SHA-512 and PLAIN). */
    public String saslSslBootstrap() {
        return "127.0.0.1:" + saslSslPort;
    }

    /** The SSL listener that requires a client certificate. */
    public String mtlsBootstrap() {
        return "127.0.0.1:" + mtlsPort;
    }

    /** The listener a way in connects to. */
    public String bootstrap(WayIn wayIn) {
        return wayIn == WayIn.CLIENT_CERTIFICATE ? mtlsBootstrap() : saslSslBootstrap();
    }

    /** The super user's way in (PLAINTEXT): for the test's own producers, consumers and admin calls. */
    public String adminBootstrap() {
        return broker.bootstrapServers();
    }

    public Admin admin() {
        return admin;
    }

    /** Adds a SCRAM-SHA-512 user with the admin API. */
    public void addScramUser(String user, String password) throws ExecutionException, InterruptedException {
        admin.alterUserScramCredentials(List.of(new UserScramCredentialUpsertion(user,
                new ScramCredentialInfo(ScramMechanism.SCRAM_SHA_512, 8192), password))).all().get();
    }

    /** Grants the principal ("User:name") these operations on a resource: by its literal name or as a prefix. */
    public static List<AclBinding> allow(String principal, ResourceType type, String name, PatternType pattern,
                                         AclOperation... operations) {
        List<AclBinding> bindings = new ArrayList<>();
        for (AclOperation operation : operations) {
            bindings.add(new AclBinding(new ResourcePattern(type, name, pattern),
                    new AccessControlEntry(principal, "*", operation, AclPermissionType.ALLOW)));
        }
        return bindings;
    }

    /** Replaces every ACL of the principal by these, and waits until the broker's authorizer has them. */
    public void setAcls(String principal, List<AclBinding> acls) throws ExecutionException, InterruptedException {
        AclBindingFilter ofPrincipal = new AclBindingFilter(ResourcePatternFilter.ANY,
                new AccessControlEntryFilter(principal, null, AclOperation.ANY, AclPermissionType.ANY));
        admin.deleteAcls(List.of(ofPrincipal)).all().get();
        if (!acls.isEmpty()) {
            admin.createAcls(acls).all().get();
        }
        Await.until(Duration.ofSeconds(10), "the broker has the ACLs of " + principal, () -> {
            try {
                return admin.describeAcls(ofPrincipal).values().get().size() == acls.size();
            } catch (ExecutionException | InterruptedException e) {
                return false;
            }
        });
    }

    /**
     * The client properties file for a way in, the Kafka tools' --command-config format; the SCRAM password is read
     * from {@link #PASSWORD_VARIABLE} through Kafka's EnvVarConfigProvider, never written in the file.
     */
    public String clientConfig(WayIn wayIn) throws IOException, InterruptedException {
        String trust = "ssl.truststore.type=PKCS12\nssl.truststore.location=" + certificates.truststore()
                + "\nssl.truststore.password=" + TestCertificates.PASSWORD + "\n";
        return switch (wayIn) {
            case SCRAM -> trust + """
                    security.protocol=SASL_SSL
                    sasl.mechanism=SCRAM-SHA-512
                    config.providers=env
                    config.providers.env.class=org.apache.kafka.common.config.provider.EnvVarConfigProvider
                    sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required \
                    username="%s" password="${env:%s}";
                    """.formatted(SCRAM_USER, PASSWORD_VARIABLE);
            case PLAIN -> trust + """
                    security.protocol=SASL_SSL
                    sasl.mechanism=PLAIN
                    sasl.jaas.config=org.apache.kafka.common.security.plain.PlainLoginModule required \
                    username="%s" password="%s";
                    """.formatted(PLAIN_USER, PLAIN_PASSWORD);
            case CLIENT_CERTIFICATE -> trust + """
                    security.protocol=SSL
                    ssl.keystore.type=PKCS12
                    ssl.keystore.location=%s
                    ssl.keystore.password=%s
                    ssl.key.password=%s
                    """.formatted(certificates.keystore(TLS_USER), TestCertificates.PASSWORD,
                    TestCertificates.PASSWORD);
        };
    }

    /** Instances coming in one way with its client properties file and the right SCRAM password (no ACLs yet). */
    public ServiceInstance.Group group(Path folder, int partitions, WayIn wayIn)
            throws IOException, InterruptedException {
        return group(folder, partitions, wayIn, clientConfig(wayIn), SCRAM_PASSWORD);
    }

    /**
     * Instances connecting to a way in's listener with these client properties (written to the folder as
     * QUEUEVIEW_KAFKA_CONFIG) and this password in {@link #PASSWORD_VARIABLE}: for the ways a start must fail.
     */
    public ServiceInstance.Group group(Path folder, int partitions, WayIn wayIn, String clientConfig, String password,
                                       String... moreSettings) throws IOException {
        Path config = Files.writeString(Files.createDirectories(folder).resolve("kafka-client.properties"),
                clientConfig);
        List<String> settings = new ArrayList<>(List.of(
                "QUEUEVIEW_KAFKA_CONFIG", config.toString(), PASSWORD_VARIABLE, password));
        settings.addAll(List.of(moreSettings));
        return ServiceInstance.Group.on(bootstrap(wayIn), folder, partitions, settings.toArray(String[]::new));
    }

    /**
     * The ACLs docs/kafka-security.md lists, for a principal and one group of settings: queueview creates its five
     * topics when missing, Kafka Streams its internal topics (prefixed by the application id). READ, WRITE and
     * CREATE imply DESCRIBE; DELETE lets Kafka Streams purge its repartition topics. With the streams rebalance
     * protocol queueview also sets the group's configs (session, heartbeat, standbys): ALTER_CONFIGS on the group.
     */
    public static List<AclBinding> documentedAcls(String principal, Map<String, String> env) {
        String applicationId = env.get("QUEUEVIEW_APPLICATION_ID");
        List<AclBinding> acls = new ArrayList<>();
        acls.addAll(allow(principal, TOPIC, env.get("QUEUEVIEW_EVENTS_TOPIC"), LITERAL, CREATE, READ));
        for (String readAndWritten : List.of(env.get("QUEUEVIEW_COMMANDS_TOPIC"),
                env.get("QUEUEVIEW_CHANGES_TOPIC"))) {
            acls.addAll(allow(principal, TOPIC, readAndWritten, LITERAL, CREATE, READ, WRITE));
        }
        for (String written : List.of(env.get("QUEUEVIEW_AUDIT_TOPIC"), env.get("QUEUEVIEW_DLQ_TOPIC"))) {
            acls.addAll(allow(principal, TOPIC, written, LITERAL, CREATE, WRITE));
        }
        acls.addAll(allow(principal, TOPIC, applicationId + "-", PREFIXED, CREATE, READ, WRITE, DELETE));
        acls.addAll(allow(principal, GROUP, applicationId, LITERAL, READ));
        if ("streams".equals(env.get("QUEUEVIEW_GROUP_PROTOCOL"))) {
            acls.addAll(allow(principal, GROUP, applicationId, LITERAL, ALTER_CONFIGS));
        }
        acls.addAll(allow(principal, TRANSACTIONAL_ID, applicationId + "-", PREFIXED, WRITE));
        return acls;
    }

    /** Gives a group's way in exactly the documented ACLs (every other ACL of its principal removed). */
    public void grantDocumentedAcls(WayIn wayIn, ServiceInstance.Group group)
            throws ExecutionException, InterruptedException {
        setAcls(wayIn.principal(), documentedAcls(wayIn.principal(), group.env()));
    }

    @Override
    public void close() {
        admin.close();
        broker.close();
    }
}
