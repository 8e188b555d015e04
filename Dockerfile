# Build stage: Maven with a JDK 25.
FROM maven:3.9-eclipse-temurin-25 AS build
WORKDIR /src
COPY pom.xml .
RUN mvn -B -q dependency:go-offline
COPY src ./src
RUN mvn -B -q -DskipTests package

# Run stage: a slim JRE 25, as a non-root user.
FROM eclipse-temurin:25-jre
RUN useradd --system --uid 10001 --home-dir /app cutover \
 && mkdir -p /data && chown cutover /data
WORKDIR /app
COPY --from=build /src/target/cutover.jar /app/cutover.jar
# The JVM flags are bin/jvm.options, the same file bin/cutover reads (measured in BENCHMARKS.md).
COPY bin/jvm.options /app/jvm.options
# The AOT cache (JEP 483/514): a short training run of the sandbox on loopback, with the run-time flags and class
# path, so the container starts from pre-loaded, pre-linked classes. Without it Cutover still starts, only slower.
RUN java @/app/jvm.options -XX:AOTCacheOutput=/app/cutover.aot -cp /app/cutover.jar dev.cutover.app.AotTraining \
 || rm -f /app/cutover.aot
USER cutover
# MALLOC_ARENA_MAX caps glibc's per-thread malloc arenas (bin/cutover sets the same value).
ENV PORT=3000 \
    CUTOVER_DATA_DIR=/data \
    MALLOC_ARENA_MAX=2 \
    JDK_JAVA_OPTIONS="@/app/jvm.options -XX:AOTCache=/app/cutover.aot -Xlog:aot*=error"
VOLUME ["/data"]
EXPOSE 3000
HEALTHCHECK --interval=30s --timeout=5s --start-period=10s \
  CMD ["java", "-cp", "/app/cutover.jar", "dev.cutover.app.HealthCheck"]
ENTRYPOINT ["java", "-jar", "/app/cutover.jar"]
