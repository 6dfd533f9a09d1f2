package io.mediacompression.delivery;

import org.apache.camel.Endpoint;
import org.apache.camel.component.file.remote.SftpEndpoint;
import org.apache.camel.spi.EndpointStrategy;

/**
 * Hands the SFTP password and key passphrase to every sftp endpoint as it is created, straight into its configuration:
 * in the endpoint URI, {@code RAW(...)} ends at the first {@code )}, and Camel reads {@code {{...}}} in any string
 * option (a {@code #bean:} one too) as a property placeholder, so some passwords could never get through.
 */
public final class SftpSecrets implements EndpointStrategy {

    private final String password;
    private final String privateKeyPassphrase;

    public SftpSecrets(String password, String privateKeyPassphrase) {
        this.password = password;
        this.privateKeyPassphrase = privateKeyPassphrase;
    }

    @Override
    public Endpoint registerEndpoint(String uri, Endpoint endpoint) {
        if (endpoint instanceof SftpEndpoint sftp) {
            if (!password.isEmpty()) {
                sftp.getConfiguration().setPassword(password);
            }
            if (!privateKeyPassphrase.isEmpty()) {
                sftp.getConfiguration().setPrivateKeyPassphrase(privateKeyPassphrase);
            }
        }
        return endpoint;
    }
}
