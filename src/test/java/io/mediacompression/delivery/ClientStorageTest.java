package io.mediacompression.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import com.jcraft.jsch.JSchException;
import java.net.ConnectException;
import org.apache.camel.component.file.GenericFileOperationFailedException;
import org.junit.jupiter.api.Test;

/** JSch's host key exceptions cannot be made outside JSch: SftpDeliveryTest meets a real one from an impostor server. */
class ClientStorageTest {

    @Test
    void gives_a_reason_that_names_no_server_and_retries_a_refused_connection() {
        Throwable refused = new GenericFileOperationFailedException("Cannot connect to sftp://u@storage.example:22",
                new JSchException("java.net.ConnectException: Connection refused", new ConnectException("refused")));

        assertThat(ClientStorage.reason(refused)).isEqualTo("upload to client storage failed");
        assertThat(ClientStorage.hostKeyRejected(refused)).isFalse();
        assertThat(ClientStorage.reason(null)).isEqualTo("upload to client storage failed");
    }
}
