using Microsoft.Extensions.DependencyInjection;
using RegistryCloud.AppHost;
using RegistryCloud.AppHost.Resources;
using RegistryCloud.AppHost.Restarts;
using RegistryCloud.AppHost.Startup;
using RegistryCloud.Configuration;

IDistributedApplicationBuilder builder;
AppHostSettings settings;
try
{
    builder = DistributedApplication.CreateBuilder(new DistributedApplicationOptions
    {
        Args = TelemetryResources.BuilderArguments(args),
        DisableDashboard = !AppHostSettings.ReadDashboard(args),
    });
    settings = AppHostSettings.Read(builder.Configuration, builder.AppHostDirectory);
}
catch (Exception e) when (e is RegistryConfigurationException or InvalidOperationException)
{
    // A bad setting is the operator's to fix: say which, without a stack trace.
    Console.Error.WriteLine($"error: {e.Message}");
    return 1;
}

foreach (var warning in settings.ConfigurationWarnings)
{
    Console.Error.WriteLine($"warning: {warning}");
}

// A port another program holds would make the gateway exit while everything else waited for it.
if (PortCheck.FindTaken(settings) is { } taken)
{
    Console.Error.WriteLine($"error: {taken}");
    return 1;
}

var redis = builder.AddRegistryRedis(settings);
var storage = builder.AddStorageEmulator(settings);
builder.AddStartupConsole(new StartupFacts(settings, StartupMessages.Redis(settings, redis is not null)));

// RegistryCloud:Replicas copies of each service behind the gateway, each its own resource
// ("blobservice", "blobservice-2", ...) with its own endpoints: callers get every copy under the
// one service name and spread requests themselves (see ServiceReplicas for why not WithReplicas).
var blobs = ServiceReplicas.Add("blobservice", settings.Replicas, name =>
    builder.AddProject<Projects.BlobService>(name, launchProfileName: null)
        .WithServiceEndpoints(grpc: true)
        .WithRegistryStorage(settings, storage)
        .WithRegistryRedis(redis)
        .WithReplicaSafeBlobCache(settings, redis));
ReplicaBlobCache.Report(settings, redis);

var manifests = ServiceReplicas.Add("manifestservice", settings.Replicas, name =>
    builder.AddProject<Projects.ManifestService>(name, launchProfileName: null)
        .WithServiceEndpoints()
        .WithRegistryStorage(settings, storage)
        .WithRegistryRedis(redis)
        .WithReference(blobs, "grpc"));

var notifier = ServiceReplicas.Add("notifierservice", settings.Replicas, name =>
    builder.AddProject<Projects.NotifierService>(name, launchProfileName: null)
        .WithServiceEndpoints()
        .WithRegistryConfiguration(settings)
        .WithRegistryRedis(redis));

// The web console, behind the gateway under /console/ (off with RegistryCloud:Console=false).
var console = settings.Console
    ? builder.AddProject<Projects.WebConsole>("webconsole", launchProfileName: null)
        .WithServiceEndpoints()
        .WithRegistryRedis(redis)
        .WithReference(blobs, "http")
        .WithReference(notifier, "http")
    : null;

// The gateway answers on localhost:5000 like registry:2, without a proxy hop in front of it. It
// knows the notifier only to gather its metrics for http.debug.addr's /metrics.
builder.AddProject<Projects.Gateway>("gateway", launchProfileName: null)
    .WithGatewayEndpoint(settings)
    .WithRegistryConfiguration(settings)
    .WithBlobFiles(settings, storage)
    .WithReference(blobs, "http")
    .WithReference(manifests, "http")
    .WithReference(notifier, "http")
    .WithConsole(console, settings);

foreach (var project in builder.Resources.OfType<ProjectResource>().ToList())
{
    builder.CreateResourceBuilder(project).WithBuiltExecutable().WithTelemetryOnlyToADashboard().WithPromptTierUp();
}

// A process that dies on its own (killed, crashed) is started again after a back-off, unless
// RegistryCloud:RestartOnExit is false.
builder.AddRestartOnExit(settings, [.. builder.Resources.OfType<ProjectResource>(), redis?.Resource?.Resource, storage?.Resource.Resource]);

// No per-process monitor beside each service (Resources/OrchestratorProcesses): DCP inherits this.
OrchestratorProcesses.DisableMonitors();

var app = builder.Build();
app.Run();
return app.Services.GetRequiredService<StartupConsole>().ExitCode;
