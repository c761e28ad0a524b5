# Stands in for the upstream eclipse-temurin:25-jre on a machine without an image registry
# (docker/build-images --prepare): Debian bookworm with the packages the upstream image has that
# Switchboard's images use (curl, CA certificates, time zones), and a JRE made with jlink from
# this machine's Temurin 25 JDK, where the upstream image keeps it.
FROM debian:bookworm
RUN apt-get update \
    && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends curl ca-certificates tzdata \
    && rm -rf /var/lib/apt/lists/*
COPY jre /opt/java/openjdk
ENV JAVA_HOME=/opt/java/openjdk \
    PATH=/opt/java/openjdk/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
    LANG=C.UTF-8
CMD ["java", "-version"]
