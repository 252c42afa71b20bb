# syntax=docker/dockerfile:1
# baocao as a container image: a static binary (fonts, templates and
# migrations are embedded in it) on a distroless base, run as a non-root
# user. README: "Deploying".
#
#   docker build --build-arg VERSION=v1.0.0 -t baocao:v1.0.0 .
#   docker run -p 8080:8080 -v baocao-data:/var/lib/baocao baocao:v1.0.0
#
# cmd/baocao/deploy_test.go checks this file, and builds the binary with
# the flags of the build stage below.

FROM golang:1.26.8-bookworm AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
ARG VERSION=dev
# The data directory of the embedded database, owned by the user the
# image runs as (distroless "nonroot", 65532).
RUN mkdir -p /out/data && chown 65532:65532 /out/data
RUN CGO_ENABLED=0 go build -trimpath -buildvcs=false -ldflags="-s -w -X main.version=${VERSION}" -o /out/baocao ./cmd/baocao
# baocao-render: render and report without the server's packages, for
# batch renders (a 1,000-task appendix in 26 MB of memory where baocao
# takes 37: README "Memory").
RUN CGO_ENABLED=0 go build -trimpath -buildvcs=false -tags renderonly -ldflags="-s -w -X main.version=${VERSION}" -o /out/baocao-render ./cmd/baocao

FROM gcr.io/distroless/static-debian12:nonroot
COPY --from=build /out/baocao /usr/local/bin/baocao
COPY --from=build /out/baocao-render /usr/local/bin/baocao-render
COPY --from=build --chown=65532:65532 /out/data /var/lib/baocao
USER 65532:65532
WORKDIR /var/lib/baocao
# Listen on every interface of the container; the embedded database in
# the volume. Set DATABASE_URL for PostgreSQL (then run "baocao migrate"
# once, or start one instance with BAOCAO_MIGRATE=true).
ENV BAOCAO_ADDR=0.0.0.0:8080 \
    BAOCAO_DB=/var/lib/baocao/baocao.db \
    BAOCAO_DEMO=false \
    BAOCAO_LOG_FORMAT=json
VOLUME /var/lib/baocao
EXPOSE 8080
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
    CMD ["/usr/local/bin/baocao", "health", "--url", "http://127.0.0.1:8080/readyz"]
ENTRYPOINT ["/usr/local/bin/baocao"]
CMD ["serve"]
