using RegistryCloud.BlobService.Tests.Infrastructure;

namespace RegistryCloud.BlobService.Tests.Blobs;

public sealed class InMemoryBlobPullTests(InMemoryBlobService service) : BlobPullSuite<InMemoryBlobService>(service);
