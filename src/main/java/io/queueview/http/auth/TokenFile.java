package io.queueview.http.auth;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.queueview.http.error.ApiError;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The tokens file: SHA-256 hashes of tokens with the projects and actions each may use. Only hashes are kept;
 * a presented token is hashed and compared in constant time with every known hash. Tokens are never logged.
 */
public final class TokenFile implements Authenticator {

    /** One line of the file, as written: {"name", "sha256", "projects", "actions"}. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Grant(String name, String sha256, List<String> projects, List<String> actions) {
    }

    /** The file's shape: {"tokens": [grant, ...]}. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record File(List<Grant> tokens) {
    }

    private record Known(byte[] hash, Caller caller) {
    }

    private final List<Known> known;

    private TokenFile(List<Known> known) {
        this.known = known;
    }

    /** No tokens at all: when JWTs are the only way in. */
    public static TokenFile none() {
        return new TokenFile(List.of());
    }

    /** @throws IllegalArgumentException naming the file and what is wrong with it */
    public static TokenFile load(Path path) {
        File file;
        try {
            file = new ObjectMapper().readValue(path.toFile(), File.class);
        } catch (IOException e) {
            throw new IllegalArgumentException("tokens file " + path + " is not readable JSON of the form "
                    + "{\"tokens\":[{\"name\",\"sha256\",\"projects\",\"actions\"}]}: " + e.getMessage());
        }
        if (file == null || file.tokens() == null) {
            throw new IllegalArgumentException("tokens file " + path + " has no \"tokens\" list");
        }
        return new TokenFile(file.tokens().stream().map(grant -> known(path, grant)).toList());
    }

    private static Known known(Path path, Grant grant) {
        if (grant.sha256() == null || !grant.sha256().matches("[0-9a-fA-F]{64}")) {
            throw new IllegalArgumentException("tokens file " + path + ": token '" + grant.name()
                    + "' needs \"sha256\" as 64 hex digits");
        }
        return new Known(HexFormat.of().parseHex(grant.sha256().toLowerCase(Locale.ROOT)), new Caller(
                grant.name(),
                Set.copyOf(grant.projects() == null ? List.of() : grant.projects()),
                Set.copyOf(grant.actions() == null ? List.of() : grant.actions())));
    }

    /** @throws ApiError 401 when the token is missing or unknown */
    @Override
    public Caller authenticate(String token) {
        if (token == null || token.isBlank()) {
            throw ApiError.unauthorized("X-Auth-Token is missing");
        }
        byte[] hash = sha256(token);
        Caller found = null;
        for (Known candidate : known) { // no early exit: the time taken does not say which hash matched
            if (MessageDigest.isEqual(hash, candidate.hash()) && found == null) {
                found = candidate.caller();
            }
        }
        if (found == null) {
            throw ApiError.unauthorized("X-Auth-Token is not valid");
        }
        return found;
    }

    public static String sha256Hex(String token) {
        return HexFormat.of().formatHex(sha256(token));
    }

    private static byte[] sha256(String token) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }
}
