using System.Text.Json.Nodes;

namespace RegistryCloud.ManifestService.Tests.Compatibility;

/// <summary>
/// The runtime settings the storage services are built with (docs/performance.md, "Runtime
/// settings"), read from the runtimeconfig.json each service runs with.
/// </summary>
public sealed class RuntimeSettingsTests
{
    [Theory]
    [InlineData("RegistryCloud.ManifestService")]
    [InlineData("RegistryCloud.BlobService")]
    public void A_storage_service_starts_its_thread_pool_with_room_for_blocking_writes_and_uses_workstation_GC(string service)
    {
        var properties = ConfigProperties(service);

        Assert.True(properties["System.Threading.ThreadPool.MinThreads"]!.GetValue<int>() >= 32);
        Assert.False(properties["System.GC.Server"]!.GetValue<bool>());
        Assert.False(properties["System.GC.Concurrent"]!.GetValue<bool>());
    }

    [Theory]
    [InlineData("RegistryCloud.ManifestService")]
    [InlineData("RegistryCloud.BlobService")]
    public void A_storage_service_caps_gen0_so_garbage_does_not_pile_up_between_collections(string service)
    {
        // Non-concurrent GC lets gen0 reach 128 MiB by default: a service's memory under load
        // was mostly uncollected garbage.
        var budget = ConfigProperties(service)["System.GC.Gen0MaxBudget"]!.GetValue<long>();

        Assert.InRange(budget, 1L << 20, 8L << 20);
    }

    private static JsonObject ConfigProperties(string service)
    {
        var path = Path.Combine(AppContext.BaseDirectory, service + ".runtimeconfig.json");
        var config = JsonNode.Parse(File.ReadAllText(path))!;
        return config["runtimeOptions"]!["configProperties"]!.AsObject();
    }
}
