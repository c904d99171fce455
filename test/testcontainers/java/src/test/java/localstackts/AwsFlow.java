package localstackts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.testcontainers.containers.GenericContainer;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Object;
import software.amazon.awssdk.services.ssm.SsmClient;
import software.amazon.awssdk.services.ssm.model.Parameter;
import software.amazon.awssdk.services.ssm.model.ParameterNotFoundException;
import software.amazon.awssdk.services.ssm.model.ParameterType;

/**
 * The checks each LocalStack module must pass with our image, whichever class started it: the
 * container is ours and printed {@code Ready.} (the log line the module waits for), and the AWS
 * SDK for Java v2 drives S3 and SSM through the endpoint and credentials the module hands out.
 * A subclass starts the container (Ryuk is disabled: stopping it removes it, volume included).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class AwsFlow {
  /** The image to start, in place of localstack/localstack (TC_LOCALSTACK_IMAGE). */
  static final String IMAGE = System.getenv("TC_LOCALSTACK_IMAGE");
  /** Its id (sha256:...): what the container must run, whichever tag named it. */
  static final String IMAGE_ID = System.getenv("TC_LOCALSTACK_IMAGE_ID");
  /** A label put on the container, so that a run killed midway can be cleaned up. */
  static final String LABEL = "cloud.localstack-ts.test-run";
  static final String RUN = System.getenv("TC_RUN_LABEL");

  private S3Client s3;
  private SsmClient ssm;

  /** Starts the module's container and returns it. */
  abstract GenericContainer<?> start();

  abstract URI s3Endpoint();

  abstract URI ssmEndpoint();

  abstract String accessKey();

  abstract String secretKey();

  abstract String region();

  /** Bucket and parameter names of this flow, so that the two flows never share one. */
  abstract String prefix();

  private GenericContainer<?> container;

  @BeforeAll
  void startContainer() {
    container = start();
    var credentials = StaticCredentialsProvider.create(AwsBasicCredentials.create(accessKey(), secretKey()));
    s3 = S3Client.builder().endpointOverride(s3Endpoint()).credentialsProvider(credentials).region(Region.of(region())).forcePathStyle(true).build();
    ssm = SsmClient.builder().endpointOverride(ssmEndpoint()).credentialsProvider(credentials).region(Region.of(region())).build();
  }

  @AfterAll
  void stopContainer() {
    if (s3 != null) s3.close();
    if (ssm != null) ssm.close();
    if (container != null) container.stop();
  }

  @Test
  void startsOurImageAndWaitsForReady() {
    Map<String, String> labels = container.getContainerInfo().getConfig().getLabels();
    assertEquals("localstack-ts", labels.get("org.opencontainers.image.title"));
    assertEquals(IMAGE_ID, container.getContainerInfo().getImageId());
    assertTrue(container.getLogs().contains("Ready.\n"), container.getLogs());
    assertTrue(s3Endpoint().toString().startsWith("http://127.0.0.1:"), s3Endpoint().toString());
  }

  @Test
  void s3BucketAndObject() {
    String bucket = prefix() + "-bucket";
    s3.createBucket(b -> b.bucket(bucket));
    s3.putObject(b -> b.bucket(bucket).key("dir/hello.txt").contentType("text/plain"), RequestBody.fromString("hello from java"));
    List<S3Object> listed = s3.listObjectsV2(b -> b.bucket(bucket)).contents();
    assertEquals(1, listed.size());
    assertEquals("dir/hello.txt", listed.get(0).key());
    assertEquals(15L, listed.get(0).size());
    var got = s3.getObjectAsBytes(b -> b.bucket(bucket).key("dir/hello.txt"));
    assertEquals("text/plain", got.response().contentType());
    assertEquals("hello from java", got.asString(StandardCharsets.UTF_8));
    var missing = assertThrows(NoSuchKeyException.class, () -> s3.getObjectAsBytes(b -> b.bucket(bucket).key("nope")));
    assertEquals(404, missing.statusCode());
  }

  @Test
  void ssmParameters() {
    String name = "/" + prefix() + "/db-url";
    assertEquals(1L, ssm.putParameter(b -> b.name(name).type(ParameterType.STRING).value("postgres://db")).version());
    ssm.putParameter(b -> b.name("/" + prefix() + "/password").type(ParameterType.SECURE_STRING).value("s3cret"));
    Parameter got = ssm.getParameter(b -> b.name(name)).parameter();
    assertEquals(name, got.name());
    assertEquals(ParameterType.STRING, got.type());
    assertEquals("postgres://db", got.value());
    assertEquals(1L, got.version());
    Parameter secret = ssm.getParameter(b -> b.name("/" + prefix() + "/password").withDecryption(true)).parameter();
    assertEquals("s3cret", secret.value());
    assertThrows(ParameterNotFoundException.class, () -> ssm.getParameter(b -> b.name("/" + prefix() + "/nope")));
  }
}
