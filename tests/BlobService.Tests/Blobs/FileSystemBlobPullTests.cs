using RegistryCloud.BlobService.Tests.Infrastructure;

namespace RegistryCloud.BlobService.Tests.Blobs;

/// <summary>Blobs on the filesystem driver are sent from their local file, a separate code path.</summary>
public sealed class FileSystemBlobPullTests(TemporaryFileSystemBlobService service) : BlobPullSuite<TemporaryFileSystemBlobService>(service);
