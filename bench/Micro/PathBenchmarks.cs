using BenchmarkDotNet.Attributes;
using RegistryCloud.Oci;

namespace RegistryCloud.Bench.Micro;

/// <summary>
/// What every request pays before it reaches storage: the gateway and the services parse the
/// path, check the repository name and parse the reference.
/// </summary>
[MemoryDiagnoser]
public class PathBenchmarks
{
    private const string Digest = "sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
    private const string BlobPath = "/v2/team/platform/api-server/blobs/" + Digest;
    private const string ManifestPath = "/v2/team/platform/api-server/manifests/v1.2.3";
    private const string UploadPath = "/v2/team/platform/api-server/blobs/uploads/0f8fad5b-d9cb-469f-a165-70867728950e";
    private const string Repository = "team/platform/api-server";

    [Benchmark]
    public OciRoute ParseBlobPath() => OciPathParser.Parse(BlobPath);

    [Benchmark]
    public OciRoute ParseManifestPath() => OciPathParser.Parse(ManifestPath);

    [Benchmark]
    public OciRoute ParseUploadPath() => OciPathParser.Parse(UploadPath);

    [Benchmark]
    public bool RepositoryNameIsValid() => RepositoryName.IsValid(Repository);

    [Benchmark]
    public ReferenceParseResult ParseTagReference() => Reference.TryParse("v1.2.3", out _);

    [Benchmark]
    public ReferenceParseResult ParseDigestReference() => Reference.TryParse(Digest, out _);
}
