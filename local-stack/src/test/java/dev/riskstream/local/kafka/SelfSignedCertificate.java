package dev.riskstream.local.kafka;

import dev.riskstream.local.kafka.EmbeddedKafkaBroker.TlsIdentity;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A key and self-signed certificate for 127.0.0.1, made at test time by the JDK's keytool, so that no
 * key material is ever in the repository: the key store for a TLS listener, and the certificate in
 * PEM for a client's trust store ({@code ssl.truststore.type=PEM}).
 */
public record SelfSignedCertificate(TlsIdentity identity, Path certificatePem) {

  private static final String PASSWORD = "test-only-store-password";

  /** Makes {@code name}.p12 and {@code name}.pem in {@code dir}. */
  public static SelfSignedCertificate create(Path dir, String name) throws IOException, InterruptedException {
    Path keyStore = dir.resolve(name + ".p12");
    Path pem = dir.resolve(name + ".pem");
    keytool("-genkeypair", "-alias", name, "-keyalg", "EC", "-groupname", "secp256r1", "-validity", "2",
        "-dname", "CN=127.0.0.1,O=riskstream test " + name, "-ext", "SAN=IP:127.0.0.1,DNS:localhost",
        "-storetype", "PKCS12", "-keystore", keyStore.toString(), "-storepass", PASSWORD, "-keypass", PASSWORD);
    keytool("-exportcert", "-rfc", "-alias", name, "-keystore", keyStore.toString(), "-storepass", PASSWORD,
        "-file", pem.toString());
    return new SelfSignedCertificate(new TlsIdentity(keyStore, "PKCS12", PASSWORD), pem);
  }

  private static void keytool(String... arguments) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
    command.addAll(List.of(arguments));
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
      process.destroyForcibly();
      throw new IOException("keytool " + arguments[0] + " failed: " + output);
    }
  }
}
