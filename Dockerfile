# Kaaj lending pipelines: one image for the API, the workers and `camel run`.
FROM maven:3.9-eclipse-temurin-17 AS build
WORKDIR /src
COPY pom.xml .
RUN mvn -q -B dependency:go-offline
COPY src src
RUN mvn -q -B -DskipTests package

FROM eclipse-temurin:17-jre
# tesseract reads scanned PDFs (tess4j loads the system library); osd finds pages scanned sideways
RUN apt-get update \
 && apt-get install -y --no-install-recommends tesseract-ocr tesseract-ocr-eng tesseract-ocr-osd \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY --from=build /src/target/classes target/classes
COPY --from=build /src/target/lib target/lib
COPY bin bin
COPY config config
COPY routes routes
COPY start_worker.sh start_workers.sh ./
# The image is built already: bin/kaaj must not look for Maven.
RUN touch target/classes
ENV KAAJ_INBOX_DIR=/data/inbox KAAJ_DATA_DIR=/data
VOLUME /data
EXPOSE 8080
ENTRYPOINT ["bin/kaaj"]
CMD ["all"]
