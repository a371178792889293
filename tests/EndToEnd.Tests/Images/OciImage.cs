namespace RegistryCloud.EndToEnd.Tests.Images;

/// <summary>One image in an OCI image layout directory, with every blob it is made of.</summary>
public sealed record OciImage(
    string LayoutDirectory,
    string RefName,
    OciBlob Manifest,
    OciBlob Config,
    IReadOnlyList<OciBlob> Layers,
    IReadOnlyList<string> DiffIds);
