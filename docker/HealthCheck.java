import java.net.HttpURLConnection;
import java.net.URI;

/**
 * The image's HEALTHCHECK: exits 0 when the service's liveness endpoint answers 200, 1 otherwise, so that the image
 * needs no curl. Compiled by docker/Dockerfile and run with the image's own Java runtime.
 */
public final class HealthCheck {

    public static void main(String[] args) {
        // health is served on MANAGEMENT_PORT when one is set, otherwise beside the API on PORT
        String port = firstSet(System.getenv("MANAGEMENT_PORT"), System.getenv("PORT"), "8080");
        try {
            HttpURLConnection connection = (HttpURLConnection) URI.create(
                    "http://127.0.0.1:" + port + "/observe/health/live").toURL().openConnection();
            connection.setConnectTimeout(2000);
            connection.setReadTimeout(2000);
            int status = connection.getResponseCode();
            connection.disconnect();
            System.exit(status == 200 ? 0 : 1);
        } catch (Exception e) {
            System.err.println("liveness check failed: " + e);
            System.exit(1);
        }
    }

    private static String firstSet(String... values) {
        for (String value : values) {
            if (value != null && !value.isBlank()) {
                return value.trim();
            }
        }
        return "";
    }
}
