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
USER cutover
# Measured in BENCHMARKS.md: a small heap is plenty (state lives in SQLite), and hundreds of threads wait on
# PlanetScale under load, so stacks are kept small and glibc's per-thread malloc arenas are capped.
ENV PORT=3000 \
    CUTOVER_DATA_DIR=/data \
    MALLOC_ARENA_MAX=2 \
    JAVA_TOOL_OPTIONS="-Dfile.encoding=UTF-8 -Xss256k -Xmx128m -XX:MaxMetaspaceSize=96m -XX:ReservedCodeCacheSize=48m -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -XX:+ExitOnOutOfMemoryError"
VOLUME ["/data"]
EXPOSE 3000
HEALTHCHECK --interval=30s --timeout=5s --start-period=10s \
  CMD ["java", "-Xshare:auto", "-XX:TieredStopAtLevel=1", "-cp", "/app/cutover.jar", "dev.cutover.app.HealthCheck"]
ENTRYPOINT ["java", "-jar", "/app/cutover.jar"]
