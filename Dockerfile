# queueview: build the shaded jar with Maven, run it on a plain JRE as a non-root user.

# ---- build ----
FROM maven:3.9-eclipse-temurin-17 AS build
WORKDIR /build
# Dependencies first, so that a change of the sources alone reuses this layer.
COPY pom.xml ./
RUN mvn -B -q dependency:go-offline
COPY src ./src
COPY topology ./topology
RUN mvn -B -q -DskipTests package

# ---- run ----
FROM eclipse-temurin:17-jre
RUN groupadd --system --gid 10001 queueview \
 && useradd --system --uid 10001 --gid queueview --no-create-home --shell /usr/sbin/nologin queueview \
 && mkdir -p /app /data \
 && chown queueview:queueview /data
COPY --from=build /build/target/queueview.jar /app/queueview.jar
# State stores (RocksDB) and, without external Kafka, the embedded broker's log live here.
VOLUME ["/data"]
USER queueview
EXPOSE 8080
# The heap holds the counts (about 100 MB per million queued entries); RocksDB lives off the heap (docs/configuration.md).
ENTRYPOINT ["java","-Xmx768m","-jar","/app/queueview.jar"]
