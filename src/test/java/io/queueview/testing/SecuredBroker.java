package io.queueview.testing;

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
 * and ACLs. One broker per test class.
 */
public final class SecuredBroker implements AutoCloseable {

    /** The SASL/PLAIN user the listener knows, and its password. */
    public static final String PLAIN_USER = "queueview-plain";
    public static final String PLAIN_PASSWORD = "plain-secret";

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
        return new SecuredBroker(broker, certificates, saslSslPort, mtlsPort);
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

    @Override
    public void close() {
        admin.close();
        broker.close();
    }
}
