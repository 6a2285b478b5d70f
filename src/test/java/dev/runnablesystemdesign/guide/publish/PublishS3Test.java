package dev.runnablesystemdesign.guide.publish;

import org.gaul.s3proxy.AuthenticationType;
import org.gaul.s3proxy.S3Proxy;
import org.jclouds.ContextBuilder;
import org.jclouds.blobstore.BlobStoreContext;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.DeleteObjectRequest;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.model.S3Object;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Publishing to a real S3-compatible server (S3Proxy over an in-memory store) on loopback. */
class PublishS3Test {

    private static final String ACCESS_KEY = "guide-access";
    private static final String SECRET_KEY = "guide-secret";

    private static BlobStoreContext store;
    private static S3Proxy proxy;
    private static URI endpoint;

    @TempDir
    Path folder;

    private String bucket;
    private SiteFolder site;
    private final List<String> requests = Collections.synchronizedList(new ArrayList<>());
    private final ByteArrayOutputStream log = new ByteArrayOutputStream();

    @BeforeAll
    static void startS3Proxy() throws Exception {
        store = ContextBuilder.newBuilder("transient").credentials("identity", "credential")
                .build(BlobStoreContext.class);
        proxy = S3Proxy.builder().blobStore(store.getBlobStore())
                .endpoint(URI.create("http://127.0.0.1:0"))
                .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, ACCESS_KEY, SECRET_KEY)
                .build();
        proxy.start();
        while (!"STARTED".equals(proxy.getState())) {
            Thread.sleep(10);
        }
        endpoint = URI.create("http://127.0.0.1:" + proxy.getPort());
    }

    @AfterAll
    static void stopS3Proxy() throws Exception {
        proxy.stop();
        store.close();
    }

    @BeforeEach
    void bucketAndSite() {
        bucket = "guide-" + UUID.randomUUID().toString().substring(0, 8);
        store.getBlobStore().createContainerInLocation(null, bucket);
        site = new SiteFolder(folder.resolve("site"))
                .write("index.html", "<p>home</p>")
                .write("caching/lru.html", "<p>lru</p>")
                .write("css/guide.3f2a9c1b7d.css", "body{}")
                .write("search-index.json", "[]")
                .write("examples/caching/LruCache.java", "class LruCache {}")
                .write("diagrams/ring.svg", "<svg/>");
    }

    private S3Client client(String secret, ExecutionInterceptor... interceptors) {
        return S3Target.clientBuilder(endpoint, "us-east-1")
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(ACCESS_KEY, secret)))
                .overrideConfiguration(o -> {
                    o.addExecutionInterceptor(new Recorder());
                    for (ExecutionInterceptor interceptor : interceptors) {
                        o.addExecutionInterceptor(interceptor);
                    }
                })
                .build();
    }

    private Plan publish(S3Client client, boolean dryRun) {
        return new Publisher(new S3Target(client, bucket, "site"), new PrintStream(log, true, StandardCharsets.UTF_8))
                .publish(site.root(), dryRun);
    }

    private Plan publish() {
        return publish(client(SECRET_KEY), false);
    }

    @Test
    void theFirstPublishSendsEveryFileWithItsTypeAndCaching() {
        publish();

        assertEquals(List.of("site/caching/lru.html", "site/css/guide.3f2a9c1b7d.css", "site/diagrams/ring.svg",
                "site/examples/caching/LruCache.java", "site/index.html", "site/search-index.json"), keys());
        assertHead("site/index.html", "text/html; charset=utf-8", "public, max-age=300");
        assertHead("site/css/guide.3f2a9c1b7d.css", "text/css; charset=utf-8", "public, max-age=31536000, immutable");
        assertHead("site/diagrams/ring.svg", "image/svg+xml", "public, max-age=300");
        assertHead("site/search-index.json", "application/json", "public, max-age=300");
        assertHead("site/examples/caching/LruCache.java", "text/plain; charset=utf-8", "public, max-age=300");
    }

    @Test
    void aSecondPublishSendsOnlyWhatChangedAssetsFirstPagesNextDeletionsLast() {
        publish();
        site.write("caching/lru.html", "<p>lru, v2</p>").write("css/guide.0badc0de11.css", "body{margin:0}")
                .delete("css/guide.3f2a9c1b7d.css").delete("diagrams/ring.svg");
        requests.clear();

        Plan plan = publish();

        assertEquals(List.of("css/guide.0badc0de11.css"), plan.added());
        assertEquals(List.of("caching/lru.html"), plan.changed());
        assertEquals(List.of("css/guide.3f2a9c1b7d.css", "diagrams/ring.svg"), plan.deleted());
        assertEquals(List.of("list", "put site/css/guide.0badc0de11.css", "put site/caching/lru.html",
                "delete site/css/guide.3f2a9c1b7d.css", "delete site/diagrams/ring.svg"), requests);
        assertFalse(keys().contains("site/diagrams/ring.svg"));
    }

    @Test
    void anUnchangedSiteSendsNothing() {
        publish();
        requests.clear();

        assertTrue(publish().isEmpty());
        assertEquals(List.of("list"), requests);
    }

    @Test
    void aDryRunListsTheChangesAndSendsNothing() {
        publish();
        site.write("index.html", "<p>home, v2</p>").write("new.html", "<p>new</p>").delete("diagrams/ring.svg");
        requests.clear();

        publish(client(SECRET_KEY), true);

        String printed = log.toString(StandardCharsets.UTF_8);
        assertTrue(printed.contains("add new.html\n") && printed.contains("change index.html\n")
                && printed.contains("delete diagrams/ring.svg\n"), printed);
        assertEquals(List.of("list"), requests);
        assertTrue(keys().contains("site/diagrams/ring.svg"));
    }

    @Test
    void anInterruptedPublishKeepsTheOldSiteWholeAndARerunFinishesIt() {
        publish();
        site.write("css/guide.0badc0de11.css", "body{margin:0}").write("diagrams/new.svg", "<svg/>")
                .write("index.html", "<p>home, v2</p>").delete("css/guide.3f2a9c1b7d.css");
        S3Client failing = client(SECRET_KEY, new FailAfterPuts(1));

        assertThrows(RuntimeException.class, () -> publish(failing, false));

        assertTrue(keys().contains("site/css/guide.0badc0de11.css"), "the first asset arrived");
        assertFalse(keys().contains("site/diagrams/new.svg"), "then the publish died");
        assertTrue(keys().contains("site/css/guide.3f2a9c1b7d.css"), "nothing was deleted yet: old pages keep their assets");
        assertEquals("<p>home</p>", body("site/index.html"), "the old page is still served");

        requests.clear();
        Plan rerun = publish();

        assertEquals(List.of("diagrams/new.svg"), rerun.added());
        assertEquals(List.of("index.html"), rerun.changed());
        assertEquals(List.of("css/guide.3f2a9c1b7d.css"), rerun.deleted());
        assertEquals("<p>home, v2</p>", body("site/index.html"));
        assertFalse(keys().contains("site/css/guide.3f2a9c1b7d.css"));
    }

    @Test
    void aBucketThatDoesNotExistIsAOneLineError() {
        bucket = "no-such-bucket";

        PublishException failure = assertThrows(PublishException.class, this::publish);

        assertEquals("bucket no-such-bucket does not exist", failure.getMessage());
    }

    @Test
    void aWrongSecretIsAOneLineErrorThatDoesNotPrintIt() {
        PublishException failure = assertThrows(PublishException.class, () -> publish(client("wrong-secret"), false));

        assertTrue(failure.getMessage().startsWith("access to bucket " + bucket + " denied"), failure::getMessage);
        assertFalse(failure.getMessage().contains("\n") || failure.getMessage().contains("wrong-secret"),
                failure::getMessage);
    }

    @Test
    void namesDecideContentTypeAndCaching() {
        assertEquals("public, max-age=31536000, immutable", ObjectHeaders.cacheControl("js/search.a1b2c3d4e5.js"));
        assertEquals("public, max-age=300", ObjectHeaders.cacheControl("js/search.js"));
        assertEquals("public, max-age=300", ObjectHeaders.cacheControl("caching/lru.html"));
        assertEquals("text/javascript; charset=utf-8", ObjectHeaders.contentType("js/search.js"));
        assertEquals("image/png", ObjectHeaders.contentType("img/shot.PNG"));
        assertEquals("application/xml", ObjectHeaders.contentType("sitemap.xml"));
        assertEquals("text/plain; charset=utf-8", ObjectHeaders.contentType("robots.txt"));
    }

    private List<String> keys() {
        try (S3Client client = client(SECRET_KEY)) {
            return client.listObjectsV2Paginator(list -> list.bucket(bucket)).contents().stream()
                    .map(S3Object::key).sorted().toList();
        }
    }

    private String body(String key) {
        try (S3Client client = client(SECRET_KEY)) {
            return client.getObjectAsBytes(get -> get.bucket(bucket).key(key)).asUtf8String();
        }
    }

    private void assertHead(String key, String contentType, String cacheControl) {
        try (S3Client client = client(SECRET_KEY)) {
            HeadObjectResponse head = client.headObject(h -> h.bucket(bucket).key(key));
            // S3Proxy's Jetty drops the space before charset; both spellings mean the same type.
            assertEquals(contentType.replace(" ", ""), head.contentType().replace(" ", ""), key);
            assertEquals(cacheControl, head.cacheControl(), key);
        }
    }

    /** Records the publish's requests in the order the SDK sends them. */
    private final class Recorder implements ExecutionInterceptor {
        @Override
        public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
            switch (context.request()) {
                case PutObjectRequest put -> requests.add("put " + put.key());
                case DeleteObjectRequest delete -> requests.add("delete " + delete.key());
                default -> {
                    if (context.request().getClass().getSimpleName().startsWith("ListObjectsV2")) {
                        requests.add("list");
                    }
                }
            }
        }
    }

    /** The connection dropping after some uploads, as when a publish is killed half-way. */
    private static final class FailAfterPuts implements ExecutionInterceptor {
        private int allowed;

        FailAfterPuts(int allowed) {
            this.allowed = allowed;
        }

        @Override
        public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
            if (context.request() instanceof PutObjectRequest && allowed-- <= 0) {
                throw new IllegalStateException("connection lost");
            }
        }
    }
}
