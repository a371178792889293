using RegistryCloud.AppHost;
using RegistryCloud.AppHost.Resources;

var builder = DistributedApplication.CreateBuilder(args);
var settings = AppHostSettings.Read(builder.Configuration, builder.AppHostDirectory);

var redis = builder.AddRegistryRedis(settings);

var blobs = builder.AddProject<Projects.BlobService>("blobservice", launchProfileName: null)
    .WithServiceEndpoints(grpc: true)
    .WithRegistryStorage(settings)
    .WithRegistryRedis(redis);

var manifests = builder.AddProject<Projects.ManifestService>("manifestservice", launchProfileName: null)
    .WithServiceEndpoints()
    .WithRegistryStorage(settings)
    .WithRegistryRedis(redis)
    .WithReference(blobs.GetEndpoint("grpc")).WaitFor(blobs);

var notifier = builder.AddProject<Projects.NotifierService>("notifierservice", launchProfileName: null)
    .WithServiceEndpoints()
    .WithRegistryRedis(redis);

// The gateway answers on localhost:5000 like registry:2, without a proxy hop in front of it.
builder.AddProject<Projects.Gateway>("gateway", launchProfileName: null)
    .WithHttpEndpoint(name: "http", port: settings.GatewayPort, env: ServiceResources.HttpPortVariable, isProxied: false)
    .WithExternalHttpEndpoints()
    .WithHttpHealthCheck("/health", endpointName: "http")
    .WithReference(blobs.GetEndpoint("http")).WaitFor(blobs)
    .WithReference(manifests.GetEndpoint("http")).WaitFor(manifests)
    .WaitFor(notifier);

builder.Build().Run();
