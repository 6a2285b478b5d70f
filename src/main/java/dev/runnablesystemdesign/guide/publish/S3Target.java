package dev.runnablesystemdesign.guide.publish;

import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ClientBuilder;
import software.amazon.awssdk.services.s3.model.NoSuchBucketException;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;

import java.net.URI;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Supplier;

/**
 * Publishes the site to a bucket of any S3-compatible store (AWS S3, Cloudflare R2, MinIO...).
 *
 * <p>Only objects whose content changed are sent: a single-part upload's ETag is the MD5 of its
 * content, so the bucket's listing tells what differs without downloading anything. Assets go
 * first, pages after them, deletions last, so at every moment a reader gets either an old page
 * with its old assets or a new page whose assets are already there; a publish interrupted
 * half-way leaves the old site serving, and running it again sends what is still missing.
 * Credentials come from the SDK's default chain (environment, profile) and are never printed.
 */
public final class S3Target implements Target {

    private final S3Client client;
    private final String bucket;
    private final String prefix;

    /** @param prefix the key prefix the site lives under, {@code ""} for the bucket's root */
    public S3Target(S3Client client, String bucket, String prefix) {
        this.client = client;
        this.bucket = bucket;
        this.prefix = prefix.isEmpty() || prefix.endsWith("/") ? prefix : prefix + "/";
    }

    /** A client for the bucket's endpoint, with credentials and region from the SDK's default chains. */
    public static S3Client client(URI endpoint, String region) {
        try {
            return clientBuilder(endpoint, region).build();
        } catch (SdkClientException e) {
            // The SDK's own message lists every provider it asked, on one very long line.
            throw new PublishException("no AWS region: give --region, or set AWS_REGION or a region in the AWS profile", e);
        }
    }

    /**
     * Path-style URLs and checksums only where S3 requires them: what every S3-compatible store
     * accepts, where virtual-host names and the newest trailing checksums are not universal.
     */
    public static S3ClientBuilder clientBuilder(URI endpoint, String region) {
        S3ClientBuilder builder = S3Client.builder()
                .httpClient(UrlConnectionHttpClient.create())
                .forcePathStyle(true)
                .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED);
        if (endpoint != null) {
            builder.endpointOverride(endpoint);
        }
        if (region != null) {
            builder.region(Region.of(region));
        }
        return builder;
    }

    @Override
    public Plan plan(SiteFiles site) {
        Map<String, String> published = publishedETags();
        List<String> added = new ArrayList<>();
        List<String> changed = new ArrayList<>();
        for (String path : site.files().keySet()) {
            String etag = published.get(path);
            if (etag == null) {
                added.add(path);
            } else if (!etag.equals(md5(site.read(path)))) {
                changed.add(path);
            }
        }
        List<String> deleted = published.keySet().stream().filter(path -> !site.files().containsKey(path)).toList();
        return new Plan(added, changed, deleted);
    }

    @Override
    public void apply(SiteFiles site, Plan plan) {
        List<String> uploads = new ArrayList<>(plan.added());
        uploads.addAll(plan.changed());
        uploads.sort(Comparator.comparing(SiteFiles::isPage).thenComparing(Comparator.naturalOrder()));
        for (String path : uploads) {
            byte[] bytes = site.read(path);
            call(() -> client.putObject(put -> put.bucket(bucket).key(prefix + path)
                    .contentType(ObjectHeaders.contentType(path))
                    .cacheControl(ObjectHeaders.cacheControl(path)), RequestBody.fromBytes(bytes)));
        }
        for (String path : plan.deleted()) {
            call(() -> client.deleteObject(delete -> delete.bucket(bucket).key(prefix + path)));
        }
    }

    private Map<String, String> publishedETags() {
        Map<String, String> etags = new TreeMap<>();
        call(() -> {
            for (S3Object object : client.listObjectsV2Paginator(list -> list.bucket(bucket).prefix(prefix)).contents()) {
                etags.put(object.key().substring(prefix.length()), object.eTag().replace("\"", ""));
            }
            return null;
        });
        return etags;
    }

    /** Runs one request, turning the SDK's many-line failures into one line that names the bucket. */
    private <T> T call(Supplier<T> request) {
        try {
            return request.get();
        } catch (NoSuchBucketException e) {
            throw new PublishException("bucket " + bucket + " does not exist", e);
        } catch (S3Exception e) {
            String code = e.awsErrorDetails() == null ? null : e.awsErrorDetails().errorCode();
            if ("NoSuchBucket".equals(code)) {
                throw new PublishException("bucket " + bucket + " does not exist", e);
            }
            if (e.statusCode() == 403) {
                throw new PublishException("access to bucket " + bucket + " denied (" + code
                        + "): check the AWS credentials in the environment or profile", e);
            }
            throw new PublishException("bucket " + bucket + ": " + PublishException.firstLine(e), e);
        } catch (SdkClientException e) {
            if (String.valueOf(e.getMessage()).startsWith("Unable to load credentials")) {
                throw new PublishException("no AWS credentials: set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY,"
                        + " or AWS_PROFILE", e);
            }
            throw new PublishException("cannot publish to bucket " + bucket + ": " + PublishException.firstLine(e), e);
        } catch (SdkException e) {
            throw new PublishException("cannot publish to bucket " + bucket + ": " + PublishException.firstLine(e), e);
        }
    }

    @Override
    public void close() {
        client.close();
    }

    static String md5(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has MD5", e);
        }
    }
}
