# A small image running ExaBGP on asyncio on a mounted configuration:
#
#   docker build -t exabgp-asyncio .                       (--build-arg EXTRAS='[uvloop]' adds uvloop)
#   docker run --rm -v /etc/exabgp:/etc/exabgp:ro -p 179:179 exabgp-asyncio
#   docker run --rm -v /etc/exabgp:/etc/exabgp:ro exabgp-asyncio validate /etc/exabgp/exabgp.conf
#
# The folder mounted on /etc/exabgp holds exabgp.conf (and exabgp.env, read when present); the
# daemon binds as root then runs as nobody, so the API scripts there must be readable (and
# executable) by nobody. tests/test_packaging.py runs the build steps in a scratch venv.

FROM python:3.12-slim AS build
ARG EXTRAS=''
COPY pyproject.toml README.md LICENSE /src/
COPY src /src/src
RUN python -m venv /opt/exabgp && /opt/exabgp/bin/pip install --no-cache-dir "/src${EXTRAS}"

FROM python:3.12-slim
COPY --from=build /opt/exabgp /opt/exabgp
ENV PATH=/opt/exabgp/bin:$PATH \
    EXABGP_ENVFILE=/etc/exabgp/exabgp.env \
    exabgp_daemon_daemonize=false \
    exabgp_daemon_user=nobody \
    exabgp_api_cli=false
VOLUME /etc/exabgp
EXPOSE 179
ENTRYPOINT ["exabgp"]
CMD ["server", "/etc/exabgp/exabgp.conf"]
