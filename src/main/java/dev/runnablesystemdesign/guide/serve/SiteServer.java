package dev.runnablesystemdesign.guide.serve;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;

/**
 * Serves the site folder on 127.0.0.1 only, and tells open pages when to reload. Each HTML page
 * gets a small script that listens for server-sent events: "reload" after a good rebuild, "failed"
 * with the problems after a bad one (shown over the last good page, which stays served).
 */
public final class SiteServer implements AutoCloseable {

    static final String CONTROL = "/__guide/";
    private static final String SCRIPT_TAG = "<script src=\"" + CONTROL + "live-reload.js\" defer></script>";
    private static final Map<String, String> TYPES = Map.ofEntries(
            Map.entry("html", "text/html; charset=utf-8"), Map.entry("css", "text/css; charset=utf-8"),
            Map.entry("js", "text/javascript; charset=utf-8"), Map.entry("svg", "image/svg+xml"),
            Map.entry("png", "image/png"), Map.entry("jpg", "image/jpeg"), Map.entry("xml", "application/xml"),
            Map.entry("json", "application/json"), Map.entry("txt", "text/plain; charset=utf-8"),
            Map.entry("java", "text/plain; charset=utf-8"), Map.entry("ico", "image/x-icon"));

    private final Path site;
    private final HttpServer server;
    private final List<OutputStream> listeners = new CopyOnWriteArrayList<>();
    private volatile String lastFailure = "";

    public SiteServer(Path site, int port) {
        this.site = site.toAbsolutePath().normalize();
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 0);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot listen on 127.0.0.1:" + port + " (is another server using it?)", e);
        }
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.createContext("/", this::serveFile);
        server.createContext(CONTROL + "events", this::subscribe);
        server.createContext(CONTROL + "live-reload.js", this::serveScript);
    }

    public void start() {
        server.start();
    }

    public URI address() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/");
    }

    /** Tells every open page to reload: the site changed and passed its checks. */
    public void siteRebuilt() {
        lastFailure = "";
        broadcast("reload", "ok");
    }

    /** Shows the problems over every open page; the pages themselves stay as last built. */
    public void buildFailed(String problems) {
        lastFailure = problems;
        broadcast("failed", problems);
    }

    private void serveFile(HttpExchange exchange) throws IOException {
        try (exchange) {
            String path = URLDecoder.decode(exchange.getRequestURI().getRawPath(), StandardCharsets.UTF_8);
            Path file = site.resolve(path.substring(1)).normalize();
            if (!file.startsWith(site)) {
                respond(exchange, 403, "text/plain; charset=utf-8", "Forbidden".getBytes(StandardCharsets.UTF_8));
                return;
            }
            if (Files.isDirectory(file)) {
                file = file.resolve("index.html");
            }
            if (!Files.isRegularFile(file)) {
                String body = lastFailure.isEmpty()
                        ? "Not found: " + path
                        : "Not found: " + path + "\n\nThe last build failed:\n" + lastFailure;
                respond(exchange, 404, "text/plain; charset=utf-8", body.getBytes(StandardCharsets.UTF_8));
                return;
            }
            String type = TYPES.getOrDefault(extension(file), "application/octet-stream");
            byte[] body = Files.readAllBytes(file);
            if (type.startsWith("text/html")) {
                body = withLiveReload(new String(body, StandardCharsets.UTF_8)).getBytes(StandardCharsets.UTF_8);
            }
            respond(exchange, 200, type, body);
        }
    }

    static String withLiveReload(String html) {
        int end = html.lastIndexOf("</body>");
        return end < 0 ? html + SCRIPT_TAG : html.substring(0, end) + SCRIPT_TAG + html.substring(end);
    }

    private void serveScript(HttpExchange exchange) throws IOException {
        try (exchange; InputStream script = SiteServer.class.getResourceAsStream("live-reload.js")) {
            respond(exchange, 200, TYPES.get("js"), script.readAllBytes());
        }
    }

    private void subscribe(HttpExchange exchange) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", "text/event-stream");
        exchange.getResponseHeaders().set("Cache-Control", "no-store");
        exchange.sendResponseHeaders(200, 0);
        OutputStream stream = exchange.getResponseBody();
        listeners.add(stream);
        send(stream, lastFailure.isEmpty() ? "hello" : "failed", lastFailure.isEmpty() ? "ok" : lastFailure);
    }

    private void broadcast(String event, String data) {
        for (OutputStream listener : listeners) {
            send(listener, event, data);
        }
    }

    private void send(OutputStream listener, String event, String data) {
        StringBuilder message = new StringBuilder("event: ").append(event).append('\n');
        data.lines().forEach(line -> message.append("data: ").append(line).append('\n'));
        message.append('\n');
        try {
            listener.write(message.toString().getBytes(StandardCharsets.UTF_8));
            listener.flush();
        } catch (IOException closedByBrowser) {
            listeners.remove(listener);
        }
    }

    private static void respond(HttpExchange exchange, int status, String type, byte[] body) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", type);
        exchange.getResponseHeaders().set("Cache-Control", "no-store");
        exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
        if (body.length > 0) {
            exchange.getResponseBody().write(body);
        }
    }

    private static String extension(Path file) {
        String name = file.getFileName().toString();
        int dot = name.lastIndexOf('.');
        return dot < 0 ? "" : name.substring(dot + 1);
    }

    @Override
    public void close() {
        listeners.forEach(listener -> {
            try {
                listener.close();
            } catch (IOException alreadyClosed) {
                // the browser went away first; nothing to release
            }
        });
        server.stop(0);
    }
}
