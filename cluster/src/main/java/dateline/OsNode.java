package dateline;

import org.opensearch.analysis.common.CommonAnalysisPlugin;
import org.opensearch.common.logging.LogConfigurator;
import org.opensearch.common.settings.Settings;
import org.opensearch.node.InternalSettingsPreparer;
import org.opensearch.node.Node;
import org.opensearch.plugins.Plugin;
import org.opensearch.transport.Netty4Plugin;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Starts one OpenSearch 2.19.x node in this JVM from jars on the classpath (no distribution).
 *
 * Usage: OsNode CLUSTER NODE_NAME HOME_DIR HTTP_PORT TRANSPORT_PORT ALL_TRANSPORT_PORTS(csv) ALL_NODE_NAMES(csv)
 *
 * With -Ddateline.exit_on_stdin_eof=true the node closes and exits when its stdin reaches EOF, so
 * nodes started by a test die with the test process, even when that process is killed or aborts.
 */
public final class OsNode {

    /** Node's constructor taking classpath plugins is protected in 2.x (as used by the test framework's MockNode). */
    static final class PluginNode extends Node {
        PluginNode(Settings settings, Collection<Class<? extends Plugin>> plugins) {
            super(InternalSettingsPreparer.prepareEnvironment(settings, Collections.emptyMap(), null, () -> settings.get("node.name")),
                  plugins, true);
        }
    }

    public static void main(String[] a) throws Exception {
        if (a.length != 7) {
            System.err.println("usage: OsNode CLUSTER NODE_NAME HOME_DIR HTTP_PORT TRANSPORT_PORT SEED_TRANSPORT_PORTS_CSV NODE_NAMES_CSV");
            System.exit(2);
        }
        if (Boolean.getBoolean("dateline.exit_on_stdin_eof")) {
            // The parent holds our stdin's write end; the OS closes it however the parent ends.
            // System.exit runs the shutdown hook below, which closes the node.
            Thread watch = new Thread(() -> {
                try {
                    while (System.in.read() != -1) { }
                } catch (Exception e) { /* a broken stdin means the parent is gone too */ }
                System.exit(0);
            }, "stdin-eof-watch");
            watch.setDaemon(true);
            watch.start();
        }
        String cluster = a[0], name = a[1];
        // What the distribution's jvm.options / Bootstrap would do before log4j starts:
        System.setProperty("log4j.shutdownHookEnabled", "false"); // else log4j stops before node.close() logs
        System.setProperty("log4j2.disable.jmx", "true");
        LogConfigurator.setNodeName(name);                         // for %node_name in log4j2.properties
        Path home = Path.of(a[2]).toAbsolutePath();
        Files.createDirectories(home.resolve("data"));
        Files.createDirectories(home.resolve("logs"));
        List<String> seeds = new ArrayList<>();
        for (String p : a[5].split(",")) seeds.add("127.0.0.1:" + p.trim());
        List<String> names = List.of(a[6].split(","));

        Settings settings = Settings.builder()
            .put("cluster.name", cluster)
            .put("node.name", name)
            .put("path.home", home.toString())
            .put("path.data", home.resolve("data").toString())
            .put("path.logs", home.resolve("logs").toString())
            .put("network.host", "127.0.0.1") // loopback: bootstrap checks are not enforced
            .put("http.port", a[3])
            .put("transport.port", a[4])
            .putList("discovery.seed_hosts", seeds)
            .putList("cluster.initial_cluster_manager_nodes", names)
            .put("node.processors", Integer.getInteger("dateline.processors", 1))
            // small test machine: don't refuse to allocate at 85/90% disk usage
            .put("cluster.routing.allocation.disk.threshold_enabled", false)
            .put("action.auto_create_index", true)
            .build();

        Node node = new PluginNode(settings, List.of(Netty4Plugin.class, CommonAnalysisPlugin.class));
        CountDownLatch done = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                node.close();
                node.awaitClose(10, TimeUnit.SECONDS);
            } catch (Exception e) { e.printStackTrace(); }
            org.apache.logging.log4j.LogManager.shutdown();
            done.countDown();
        }, "os-shutdown"));
        node.start();
        System.out.println("NODE_STARTED " + name + " http=" + a[3] + " transport=" + a[4] + " pid=" + ProcessHandle.current().pid());
        done.await();
    }
}
