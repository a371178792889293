# syntax=docker/dockerfile:1
# RegistryCloud WebConsole (the web console the gateway serves under /console/). Build from the repository root (the build context):
#   docker build -f deploy/docker/WebConsole.Dockerfile -t <registry>/registrycloud/webconsole:<tag> .
# Multi-stage: the .NET SDK compiles and publishes; only the published app is copied into the
# ASP.NET runtime image, which runs it as the image's non-root "app" user ($APP_UID).

ARG DOTNET_VERSION=10.0

FROM --platform=$BUILDPLATFORM mcr.microsoft.com/dotnet/sdk:${DOTNET_VERSION} AS build
ARG TARGETARCH
ARG CONFIGURATION=Release
WORKDIR /src
ENV DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

# global.json is left out on purpose: it pins the SDK feature band of the developer machine
# (with rollForward latestFeature), which the sdk:10.0 image need not carry. The build settings
# (Directory.Build.props: warnings as errors, code style; central package versions) still apply.
COPY Directory.Build.props Directory.Packages.props .editorconfig ./

# Restore first, from the project files only, so the package layer is cached across code changes.
COPY Oci/Oci.csproj Oci/
COPY ServiceDefaults/ServiceDefaults.csproj ServiceDefaults/
COPY WebConsole/WebConsole.csproj WebConsole/
RUN dotnet restore WebConsole/WebConsole.csproj -a $TARGETARCH

COPY Oci/ Oci/
COPY ServiceDefaults/ ServiceDefaults/
COPY WebConsole/ WebConsole/
RUN dotnet publish WebConsole/WebConsole.csproj --no-restore -a $TARGETARCH -c $CONFIGURATION \
      -o /app -p:UseAppHost=false -p:DebugType=none

FROM mcr.microsoft.com/dotnet/aspnet:${DOTNET_VERSION} AS runtime
WORKDIR /app
COPY --from=build --chown=root:root /app ./
# Kubernetes sets the listeners (Kestrel__Endpoints__*); the image default is HTTP on 8080.
# Workstation GC, and hot methods recompiled without waiting for a quiet period: see
# docs/performance.md ("Runtime settings").
ENV ASPNETCORE_HTTP_PORTS=8080 \
    DOTNET_CLI_TELEMETRY_OPTOUT=1 \
    DOTNET_gcServer=0 \
    DOTNET_TC_CallCountingDelayMs=0
EXPOSE 8080
# The app files stay owned by root and read-only for the app user; the root filesystem can be
# mounted read-only (Kubernetes mounts an emptyDir on /tmp). Probes: /health (ready), /alive (live).
USER $APP_UID
ENTRYPOINT ["dotnet", "RegistryCloud.WebConsole.dll"]
