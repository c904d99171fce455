package localstackts;

import java.net.URI;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.localstack.LocalStackContainer;
import org.testcontainers.containers.localstack.LocalStackContainer.Service;
import org.testcontainers.utility.DockerImageName;

/**
 * The LocalStack module as testcontainers-java 1.x has it ({@code org.testcontainers:localstack},
 * class {@code org.testcontainers.containers.localstack.LocalStackContainer}, kept, deprecated, in
 * 2.x). This class reads the image's tag as a LocalStack version: {@code latest} is today's
 * LocalStack, while a version tag such as {@code 0.1.0} reads as LocalStack 0.1 (legacy mode, one
 * port per service), so it is given TC_LOCALSTACK_IMAGE_LATEST, a {@code :latest} tag of our image.
 */
class ContainersPackageLocalStackTest extends AwsFlow {
  private LocalStackContainer localstack;

  @Override
  GenericContainer<?> start() {
    String image = System.getenv("TC_LOCALSTACK_IMAGE_LATEST");
    localstack = new LocalStackContainer(DockerImageName.parse(image).asCompatibleSubstituteFor("localstack/localstack"))
        .withServices(Service.S3, Service.SSM)
        .withLabel(LABEL, RUN);
    localstack.start();
    return localstack;
  }

  @Override
  URI s3Endpoint() {
    return localstack.getEndpointOverride(Service.S3);
  }

  @Override
  URI ssmEndpoint() {
    return localstack.getEndpointOverride(Service.SSM);
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
    return "tc-java1";
  }
}
