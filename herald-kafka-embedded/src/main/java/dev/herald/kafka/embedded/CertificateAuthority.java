package dev.herald.kafka.embedded;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A certificate authority for tests and the local run, made with the JDK's {@code keytool}: clients trust its
 * certificate ({@link #certificate()}, PEM, for {@code ssl.truststore.type=PEM}), servers present certificates it
 * signed ({@link #issue}, PKCS12 keystores). It lives in a directory and is made once: a broker started again on the
 * same directory presents the same certificate, and clients keep trusting it.
 *
 * <p>{@code keytool} runs as a subprocess (four times for a CA and one server) because the JDK has no public API that
 * signs certificates; reading and rewriting keystores uses {@link KeyStore}. Keys are EC P-256, quicker to make than
 * RSA keys.
 */
public final class CertificateAuthority {

    /** Protects keys that exist only for tests and the local run; not a secret. */
    public static final String PASSWORD = "herald-test-only";
    private static final String DAYS = "3650";
    private static final String CA = "ca";

    private final Path dir;

    private CertificateAuthority(Path dir) {
        this.dir = dir;
    }

    /** A PKCS12 keystore holding one server's key and the certificate the authority signed for it. */
    public record Keystore(Path location, String password) {
        public static final String TYPE = "PKCS12";
    }

    /** The authority kept in {@code dir}, made there on first use. */
    public static CertificateAuthority in(Path dir) {
        CertificateAuthority authority = new CertificateAuthority(dir);
        if (!Files.exists(authority.certificate())) {
            authority.create();
        }
        return authority;
    }

    /** The authority's own certificate, PEM: what a client trusts. */
    public Path certificate() {
        return dir.resolve("ca.crt");
    }

    /**
     * A keystore for the server {@code name} whose certificate names {@code subjectAlternativeNames} (such as
     * {@code IP:127.0.0.1} or {@code DNS:localhost}: clients check the address they dial against them). Issued once,
     * then found again in the directory.
     */
    public Keystore issue(String name, String... subjectAlternativeNames) {
        Keystore keystore = new Keystore(dir.resolve(name + ".p12"), PASSWORD);
        if (Files.exists(keystore.location())) {
            return keystore;
        }
        // Made under other names first: the keystore appears only once it is complete.
        Path unsigned = dir.resolve(name + "-unsigned.p12");
        Path request = dir.resolve(name + ".csr");
        Path signed = dir.resolve(name + ".crt");
        deleteIfExists(unsigned);
        keytool("-genkeypair", "-alias", name, "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=" + name,
                "-validity", DAYS, "-keystore", unsigned.toString(), "-storetype", Keystore.TYPE,
                "-storepass", PASSWORD);
        keytool("-certreq", "-alias", name, "-keystore", unsigned.toString(), "-storepass", PASSWORD,
                "-file", request.toString());
        keytool("-gencert", "-alias", CA, "-keystore", caKeystore().toString(), "-storepass", PASSWORD, "-rfc",
                "-infile", request.toString(), "-outfile", signed.toString(), "-validity", DAYS,
                "-ext", "SAN=" + String.join(",", subjectAlternativeNames),
                "-ext", "KeyUsage:critical=digitalSignature", "-ext", "ExtendedKeyUsage=serverAuth");
        try {
            // The key's entry gets the chain it presents: the signed certificate, then the authority's.
            KeyStore store = load(unsigned);
            Certificate[] chain = {read(signed), load(caKeystore()).getCertificate(CA)};
            store.setKeyEntry(name, store.getKey(name, PASSWORD.toCharArray()), PASSWORD.toCharArray(), chain);
            save(store, keystore.location());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot install the certificate of " + name, e);
        }
        return keystore;
    }

    private void create() {
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + dir, e);
        }
        // ca.crt, written last, marks a complete authority; what an interrupted attempt left goes.
        deleteIfExists(caKeystore());
        keytool("-genkeypair", "-alias", CA, "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=Herald test CA",
                "-ext", "BasicConstraints:critical=ca:true", "-ext", "KeyUsage:critical=keyCertSign,cRLSign",
                "-validity", DAYS, "-keystore", caKeystore().toString(), "-storetype", Keystore.TYPE,
                "-storepass", PASSWORD);
        try {
            byte[] der = load(caKeystore()).getCertificate(CA).getEncoded();
            String pem = "-----BEGIN CERTIFICATE-----\n"
                    + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der)
                    + "\n-----END CERTIFICATE-----\n";
            Files.writeString(certificate(), pem, StandardCharsets.US_ASCII);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot read the certificate authority in " + dir, e);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + certificate(), e);
        }
    }

    private Path caKeystore() {
        return dir.resolve("ca.p12");
    }

    private static void deleteIfExists(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete " + file, e);
        }
    }

    private static KeyStore load(Path location) throws GeneralSecurityException {
        try (InputStream in = Files.newInputStream(location)) {
            KeyStore store = KeyStore.getInstance(Keystore.TYPE);
            store.load(in, PASSWORD.toCharArray());
            return store;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + location, e);
        }
    }

    private static void save(KeyStore store, Path location) throws GeneralSecurityException {
        try (OutputStream out = Files.newOutputStream(location)) {
            store.store(out, PASSWORD.toCharArray());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + location, e);
        }
    }

    private static Certificate read(Path pem) throws GeneralSecurityException {
        try (InputStream in = Files.newInputStream(pem)) {
            return CertificateFactory.getInstance("X.509").generateCertificate(in);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + pem, e);
        }
    }

    private static void keytool(String... args) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
        // A short-lived JVM: the quick compiler and the serial collector halve its start-up.
        command.addAll(List.of("-J-XX:TieredStopAtLevel=1", "-J-XX:+UseSerialGC"));
        command.addAll(List.of(args));
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
                process.destroyForcibly();
                throw new IllegalStateException("keytool " + args[0] + " failed: " + output);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run " + command.get(0), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while running keytool " + args[0], e);
        }
    }
}
