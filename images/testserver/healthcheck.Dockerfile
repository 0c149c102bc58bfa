# testdock.local/testserver:healthcheck: the test server with a health check
# that passes once its HTTP server on 8080 answers /health with a 2xx. The
# start period is 0s, the default (docker build rejects an explicit 0s).
ARG BASE=testdock.local/testserver:latest
FROM ${BASE}
HEALTHCHECK --interval=1s --timeout=1s --retries=1 CMD ["/testserver","probe","http://127.0.0.1:8080/health"]
