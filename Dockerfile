# lp-archiver as a container: `run` with the status page on :8080. Not built in CI.
FROM maven:3.9-eclipse-temurin-17 AS build
WORKDIR /src
COPY . .
RUN mvn -B -q -DskipTests package

FROM eclipse-temurin:17-jre
RUN useradd --system --home /data lp-archiver && mkdir -p /data && chown lp-archiver /data
COPY --from=build /src/archiver-cli/target/lp-archiver.jar /opt/lp-archiver/lp-archiver.jar
USER lp-archiver
WORKDIR /data
EXPOSE 8080
# The config must set server.bind: 0.0.0.0:8080 and server.token (required off loopback).
ENTRYPOINT ["java", "-jar", "/opt/lp-archiver/lp-archiver.jar"]
CMD ["run", "--config", "/config/lp-archiver.yaml"]
