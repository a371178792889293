using RegistryCloud.Tests.Shared;

namespace RegistryCloud.Storage.S3.Tests.Infrastructure;

[CollectionDefinition(Name)]
public sealed class S3ContractCollection : ICollectionFixture<S3rverServer>
{
    public const string Name = "s3rver: the storage contract";
}

[CollectionDefinition(Name)]
public sealed class S3DriverCollection : ICollectionFixture<S3rverServer>
{
    public const string Name = "s3rver: the s3 driver";
}

[CollectionDefinition(Name)]
public sealed class S3AwsFeaturesCollection : ICollectionFixture<S3rverWithAwsFeatures>
{
    public const string Name = "s3rver with AWS's conditional writes and UploadPartCopy";
}
