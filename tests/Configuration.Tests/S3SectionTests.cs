namespace RegistryCloud.Configuration.Tests;

/// <summary><c>storage.s3</c>: Distribution's keys and defaults, REGISTRY_STORAGE_S3_* overrides, errors naming the key.</summary>
public sealed class S3SectionTests
{
    private const string Header = "version: 0.1\nstorage:\n  s3:\n";

    [Fact]
    public void Every_key_Distribution_has_is_read()
    {
        var result = Loading.Parse(Header + """
                region: eu-west-1
                regionendpoint: http://minio:9000
                forcepathstyle: true
                bucket: images
                accesskey: AKIDEXAMPLE
                secretkey: wJalrXUtnFEMI
                secure: false
                skipverify: true
                encrypt: true
                keyid: arn:aws:kms:eu-west-1:1:key/k
                chunksize: 20971520
                rootdirectory: /registry
                storageclass: REDUCED_REDUNDANCY
                multipartcopychunksize: 64MiB
                multipartcopymaxconcurrency: 10
                multipartcopythresholdsize: 100MiB
                v4auth: true
                useragent: registrycloud-test
                loglevel: off
                checksums: whenrequired
            """ + "\n");

        Assert.Empty(result.Warnings);
        var storage = result.Configuration.Storage;
        Assert.Equal("s3", storage.Driver);
        Assert.True(storage.IsDriverImplemented);
        Assert.Equal(new S3StorageConfiguration
        {
            Bucket = "images",
            Region = "eu-west-1",
            RegionEndpoint = "http://minio:9000",
            ForcePathStyle = true,
            AccessKey = "AKIDEXAMPLE",
            SecretKey = "wJalrXUtnFEMI",
            Secure = false,
            SkipVerify = true,
            Encrypt = true,
            KeyId = "arn:aws:kms:eu-west-1:1:key/k",
            ChunkSize = 20 * 1024 * 1024,
            RootDirectory = "/registry",
            StorageClass = "REDUCED_REDUNDANCY",
            MultipartCopyChunkSize = 64 * 1024 * 1024,
            MultipartCopyMaxConcurrency = 10,
            MultipartCopyThresholdSize = 100 * 1024 * 1024,
            UserAgent = "registrycloud-test",
            ChecksumsWhenRequired = true,
        }, storage.S3);
        Assert.Same(storage.S3, RegistryStorageOptions.From(storage).S3);
    }

    [Fact]
    public void Without_credentials_or_optional_keys_Distribution_s_defaults_apply()
    {
        var s3 = Loading.Configuration(Header + "    bucket: images\n    region: us-east-2\n").Storage.S3;

        Assert.NotNull(s3);
        Assert.Null(s3.AccessKey);
        Assert.Null(s3.SecretKey);
        Assert.Equal(10 * 1024 * 1024, s3.ChunkSize);
        Assert.Equal(32 * 1024 * 1024, s3.MultipartCopyChunkSize);
        Assert.Equal(32 * 1024 * 1024, s3.MultipartCopyThresholdSize);
        Assert.Equal(100, s3.MultipartCopyMaxConcurrency);
        Assert.Equal("STANDARD", s3.StorageClass);
        Assert.True(s3.Secure);
        Assert.False(s3.ChecksumsWhenRequired);
    }

    [Fact]
    public void REGISTRY_STORAGE_S3_variables_set_the_driver_and_its_keys()
    {
        var s3 = Loading.Configuration(
            "version: 0.1\nstorage:\n  filesystem:\n    rootdirectory: /x\n",
            ("REGISTRY_STORAGE", "s3"),
            ("REGISTRY_STORAGE_S3_BUCKET", "from-env"),
            ("REGISTRY_STORAGE_S3_REGIONENDPOINT", "127.0.0.1:9000"),
            ("REGISTRY_STORAGE_S3_CHUNKSIZE", "6291456"),
            ("REGISTRY_STORAGE_S3_CHECKSUMS", "whenrequired")).Storage.S3;

        Assert.NotNull(s3);
        Assert.Equal("from-env", s3.Bucket);
        Assert.Equal("127.0.0.1:9000", s3.RegionEndpoint);
        Assert.Equal("us-east-1", s3.Region);
        Assert.Equal(6 * 1024 * 1024, s3.ChunkSize);
        Assert.True(s3.ChecksumsWhenRequired);
    }

    [Theory]
    [InlineData("    region: us-east-1\n", "storage.s3.bucket")]
    [InlineData("    bucket: b\n", "storage.s3.region")]
    [InlineData("    bucket: b\n    region: r\n    chunksize: 1048576\n", "storage.s3.chunksize")]
    [InlineData("    bucket: b\n    region: r\n    chunksize: lots\n", "storage.s3.chunksize")]
    [InlineData("    bucket: b\n    region: r\n    multipartcopychunksize: 6GiB\n", "storage.s3.multipartcopychunksize")]
    [InlineData("    bucket: b\n    region: r\n    multipartcopymaxconcurrency: 0\n", "storage.s3.multipartcopymaxconcurrency")]
    [InlineData("    bucket: b\n    region: r\n    storageclass: FAST\n", "storage.s3.storageclass")]
    [InlineData("    bucket: b\n    region: r\n    accesskey: a\n", "storage.s3.secretkey")]
    [InlineData("    bucket: b\n    region: r\n    secure: maybe\n", "storage.s3.secure")]
    [InlineData("    bucket: b\n    region: r\n    v4auth: false\n", "storage.s3.v4auth")]
    [InlineData("    bucket: b\n    region: r\n    checksums: never\n", "storage.s3.checksums")]
    [InlineData("    bucket: b\n    regionendpoint: ftp://host\n", "storage.s3.regionendpoint")]
    public void A_bad_value_fails_start_up_naming_its_key(string keys, string key)
    {
        Assert.StartsWith(key + ":", Loading.Error(Header + keys), StringComparison.Ordinal);
    }

    [Fact]
    public void An_unknown_s3_key_is_reported()
    {
        var result = Loading.Parse(Header + "    bucket: b\n    region: r\n    colour: blue\n");

        Assert.Contains("storage.s3.colour: unknown key", result.Warnings);
    }
}
