# lp-archiver as a container: `run` with the status page on :8080. Not built in CI.
FROM maven:3.9-eclipse-temurin-17 AS build
WORKDIR /src
COPY . .
RUN mvn -B -q -DskipTests package

FROM eclipse-temurin:17-jre
RUN useradd --system --home /data lp-archiver && mkdir -p /data && chown lp-archiver /data
COPY --from=build /src/archiver-cli/target/lp-archiver.jar /src/archiver-cli/target/jvm.options /src/archiver-cli/target/lp-archiver /opt/lp-archiver/
USER lp-archiver
WORKDIR /data
EXPOSE 8080
# The config must set server.bind: 0.0.0.0:8080 and server.token (required off loopback).
# The launcher: the jar with jvm.options, then $JAVA_OPTS (docker run -e JAVA_OPTS=-Xmx1g).
ENTRYPOINT ["/opt/lp-archiver/lp-archiver"]
CMD ["run", "--config", "/config/lp-archiver.yaml"]
