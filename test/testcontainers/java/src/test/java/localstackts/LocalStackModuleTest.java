package localstackts;

import java.net.URI;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.localstack.LocalStackContainer;
import org.testcontainers.utility.DockerImageName;

/**
 * testcontainers-java 2.x's LocalStack module ({@code org.testcontainers:testcontainers-localstack},
 * class {@code org.testcontainers.localstack.LocalStackContainer}): any tag of our image works, as a
 * compatible substitute for localstack/localstack.
 */
class LocalStackModuleTest extends AwsFlow {
  private LocalStackContainer localstack;

  @Override
  GenericContainer<?> start() {
    localstack = new LocalStackContainer(DockerImageName.parse(IMAGE).asCompatibleSubstituteFor("localstack/localstack"))
        .withLabel(LABEL, RUN);
    localstack.start();
    return localstack;
  }

  @Override
  URI s3Endpoint() {
    return localstack.getEndpoint();
  }

  @Override
  URI ssmEndpoint() {
    return localstack.getEndpoint();
  }

  @Override
  String accessKey() {
    return localstack.getAccessKey();
  }

  @Override
  String secretKey() {
    return localstack.getSecretKey();
  }

  @Override
  String region() {
    return localstack.getRegion();
  }

  @Override
  String prefix() {
    return "tc-java2";
  }
}
