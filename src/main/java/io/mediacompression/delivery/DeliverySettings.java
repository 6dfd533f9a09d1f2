package io.mediacompression.delivery;

import java.nio.file.Path;

/**
 * What the delivery beans are built from, as the service's settings give it. The last five are secrets or may carry
 * one (the LMS URLs), so this record never shows its values.
 *
 * @param outputDir where results go when SFTP_HOST is not set
 */
public record DeliverySettings(
        Path outputDir,
        SftpSettings sftp,
        RetryPolicy retry,
        String sftpPassword,
        String sftpPrivateKeyPassphrase,
        String clientConfirmUrl,
        String lmsStoreUrl,
        String webhookSecrets) {

    @Override
    public String toString() {
        return "DeliverySettings[outputDir=" + outputDir + ", sftp=" + sftp + ", retry=" + retry + "]";
    }
}
