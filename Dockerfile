# syntax=docker/dockerfile:1

# ---- build: compile with the project's own Maven wrapper, then split the jar into layers ----
FROM eclipse-temurin:17-jdk AS build
WORKDIR /workspace

# Only what the build reads; .dockerignore keeps build output, tests, .git and local data out.
COPY mvnw pom.xml ./
COPY .mvn .mvn
COPY src src

# The cache mount keeps ~/.m2 between builds without baking it into any image layer. The aot profile adds Spring's
# ahead-of-time processing for production mode (pom.xml; what it fixes at build time: README, "Deployment") and builds
# into target/aot/.
RUN --mount=type=cache,target=/root/.m2 \
    chmod +x mvnw && ./mvnw -B -DskipTests -Paot package

# Layers ordered from least to most often changed, so a code change only rebuilds "application". Extracted as a
# plain jar with its libraries beside it (no launcher): the ahead-of-time cache only holds classes loaded from jars.
RUN cp target/aot/token-broker-*.jar app.jar \
    && java -Djarmode=tools -jar app.jar extract --layers --destination extracted

# ---- runtime: JRE only, non-root, nothing writable but /tmp ----
# JDK 25 runs the classes built for release 17 (README: a JDK 17 is enough to build and run the broker) and brings
# the ahead-of-time cache below, which starts the broker about a fifth faster than JDK 17 with class-data sharing.
FROM eclipse-temurin:25-jre

# Fixed numeric uid/gid: Kubernetes' runAsNonRoot can only verify a numeric USER. curl for the health check and the
# training run below: the Temurin images from JDK 25 on no longer ship it.
RUN groupadd --system --gid 10001 broker \
    && useradd --system --uid 10001 --gid broker --no-create-home --home-dir /nonexistent \
       --shell /usr/sbin/nologin broker \
    && apt-get update \
    && apt-get install -y --no-install-recommends curl \
    && rm -rf /var/lib/apt/lists/*

WORKDIR /app
# Files stay root-owned: the broker can read its code but never rewrite it.
COPY --from=build /workspace/extracted/dependencies/ ./
COPY --from=build /workspace/extracted/snapshot-dependencies/ ./
COPY --from=build /workspace/extracted/application/ ./

# Ahead-of-time cache (JEP 483/514/515): a training run records the classes the start loads and links, and the
# method profiles it gathers, into a cache that every start then maps instead of loading, verifying and profiling
# them again (BENCHMARKS.md, "Runtime"). The training run starts the way the image does (production mode, Spring's
# ahead-of-time bean definitions) but on a throwaway embedded database with throwaway keys, since no database exists
# at build time; it runs until it is ready, so that the web servers' start and the management context are recorded
# too, and is then stopped; its directory is deleted. The cache belongs to this exact JVM and class path; a JVM that
# cannot use it starts without it. A cache that crashes the JVM as it is mapped (seen once with JDK 25.0.3 on a cache
# of another start) is dropped at build time rather than shipped.
RUN mkdir aot-training && java -jar app.jar generate-keyset > aot-training/keyset.json || exit 1; \
    java -XX:AOTCacheOutput=app.aot -Dspring.aot.enabled=true -jar app.jar --spring.profiles.active=prod \
        --spring.datasource.url=jdbc:h2:file:./aot-training/broker --spring.datasource.username=sa \
        --broker.crypto.keyset-file=file:aot-training/keyset.json \
        --broker.security.service-token.hmac-secret="$(head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n')" \
        --broker.security.service-token.audience=aot-training & training=$!; \
    until curl -fs -o /dev/null --max-time 2 http://127.0.0.1:8081/actuator/health/readiness; do \
        kill -0 "$training" || exit 1; sleep 1; \
    done; \
    kill "$training"; wait "$training"; \
    test -s app.aot && rm -rf aot-training /tmp/tomcat* /tmp/hsperfdata_* || exit 1; \
    java -XX:AOTCache=app.aot -cp app.jar -version > /dev/null 2>&1 \
        || { echo "the AOT cache crashes this JVM: the image starts without it" >&2; rm -f app.aot; }

# The image must run with a read-only root filesystem: Tomcat's work dir, JVM perf data and
# any temp files go to /tmp, which compose and the Helm chart mount as tmpfs / emptyDir.
# MaxRAMPercentage sizes the heap from the container memory limit instead of the host's RAM;
# InitialRAMPercentage starts it at an eighth of the limit (96 MiB of 768 MiB) instead of the JVM's 1/64 (12 MiB), on
# which the start ran about 75 young collections while the heap grew to the 60 MiB it needs (BENCHMARKS.md, "The
# image's start by thread"); ExitOnOutOfMemoryError lets the orchestrator restart a broken JVM instead of limping on.
# JDK_JAVA_OPTIONS (read by the java launcher only) turns on Spring's ahead-of-time bean definitions; an operator who
# needs a setting that they fix (README, "Deployment") sets JDK_JAVA_OPTIONS=-Dspring.aot.enabled=false. Dev mode
# starts without them by itself.
ENV SPRING_PROFILES_ACTIVE=prod \
    JAVA_TOOL_OPTIONS="-XX:MaxRAMPercentage=75 -XX:InitialRAMPercentage=12.5 -XX:+ExitOnOutOfMemoryError -Djava.io.tmpdir=/tmp" \
    JDK_JAVA_OPTIONS="-Dspring.aot.enabled=true"

USER 10001:10001
# 8080: the API and the OAuth callback. 8081: Actuator (probes, Prometheus), which must not be published.
EXPOSE 8080 8081

# Readiness, not just an open port: UP only once startup (including migrations) has finished,
# the database answers and the encryption keys work, and down again while shutting down. The
# endpoint exists outside Kubernetes too because application.yaml enables the health probes.
# curl is installed above.
HEALTHCHECK --interval=15s --timeout=3s --start-period=90s --retries=3 \
    CMD curl -fsS -o /dev/null --max-time 2 http://127.0.0.1:8081/actuator/health/readiness || exit 1

# Exec form: the JVM is PID 1 and receives SIGTERM directly, so Spring's graceful shutdown runs.
# Arguments are passed through, e.g. `docker run --rm <image> generate-keyset`.
ENTRYPOINT ["java", "-XX:AOTCache=app.aot", "-jar", "app.jar"]
