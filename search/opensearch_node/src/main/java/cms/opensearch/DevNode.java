package cms.opensearch;

import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.opensearch.common.logging.LogConfigurator;
import org.opensearch.common.settings.Settings;
import org.opensearch.env.Environment;
import org.opensearch.node.InternalSettingsPreparer;
import org.opensearch.node.Node;

/**
 * Starts one OpenSearch node in this JVM, for development and the test suite.
 *
 * <p>Usage: {@code java -cp <home>/lib/*:opensearch-node.jar cms.opensearch.DevNode
 * <home> key=value ...}: {@code <home>} is the unpacked distribution (its modules/ are
 * loaded); each {@code key=value} is a node setting (http.port, path.data, ...).
 *
 * <p>Why not {@code bin/opensearch}: its bootstrap refuses to run as root (CI runs as
 * root) and installs a security manager, memory locking and production checks that a
 * loopback-only throwaway node does not need. The node itself is the stock one.
 * Stops cleanly on SIGTERM / SIGINT.
 */
public final class DevNode {
    private DevNode() {}

    public static void main(String[] args) throws Exception {
        if (args.length < 1) {
            System.err.println("usage: DevNode <opensearch home> [key=value ...]");
            System.exit(2);
        }
        Path home = Path.of(args[0]).toAbsolutePath();
        Settings.Builder builder = Settings.builder()
            .put("path.home", home.toString())
            .put("discovery.type", "single-node")
            .put("network.host", "127.0.0.1");
        for (int i = 1; i < args.length; i++) {
            int eq = args[i].indexOf('=');
            if (eq <= 0) {
                System.err.println("not a key=value setting: " + args[i]);
                System.exit(2);
            }
            builder.put(args[i].substring(0, eq), args[i].substring(eq + 1));
        }
        Settings input = builder.build();
        LogConfigurator.registerErrorListener();
        LogConfigurator.configureWithoutConfig(input);
        Environment environment = InternalSettingsPreparer.prepareEnvironment(
            input, Map.of(), home.resolve("config"), () -> "dev-node");

        Node node = new Node(environment);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                node.close();
                node.awaitClose(10, TimeUnit.SECONDS);
            } catch (Exception e) {
                e.printStackTrace();
            } finally {
                stopped.countDown();
            }
        }, "dev-node-shutdown"));
        node.start();
        System.out.println("dev-node started");
        stopped.await();
    }
}
