using RegistryCloud.AppHost;
using RegistryCloud.AppHost.Resources;
using RegistryCloud.Core.Configuration;

var builder = DistributedApplication.CreateBuilder(args);
AppHostSettings settings;
try
{
    settings = AppHostSettings.Read(builder.Configuration, builder.AppHostDirectory);
}
catch (Exception e) when (e is RegistryConfigurationException or InvalidOperationException)
{
    // A bad setting is the operator's to fix: say which, without a stack trace.
    Console.Error.WriteLine($"error: {e.Message}");
    return 1;
}

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
    .WithRegistryConfiguration(settings)
    .WithRegistryRedis(redis);

// The gateway answers on localhost:5000 like registry:2, without a proxy hop in front of it.
builder.AddProject<Projects.Gateway>("gateway", launchProfileName: null)
    .WithGatewayEndpoint(settings)
    .WithRegistryConfiguration(settings)
    .WithReference(blobs.GetEndpoint("http")).WaitFor(blobs)
    .WithReference(manifests.GetEndpoint("http")).WaitFor(manifests)
    .WaitFor(notifier);

builder.Build().Run();
return 0;
