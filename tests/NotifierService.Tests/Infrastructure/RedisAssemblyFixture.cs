// One redis-server for the whole assembly: every notifier test keeps to its own stream key.
[assembly: AssemblyFixture(typeof(RegistryCloud.Tests.Shared.RedisServer))]
