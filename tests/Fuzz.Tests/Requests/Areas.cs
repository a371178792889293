using System.Text;
using CsCheck;
using RegistryCloud.Oci;

namespace RegistryCloud.Fuzz.Tests.Requests;

/// <summary>
/// The generated requests, by the part of the request that is hostile: the path, a header, the
/// query, or a manifest body. Everything else about a request is what a client would send, so the
/// hostile part reaches the code behind the first check.
/// </summary>
public static class Areas
{
    public const string Path = "path";
    public const string Header = "header";
    public const string Query = "query";
    public const string Manifest = "manifest";

    public static readonly string[] All = [Path, Header, Query, Manifest];

    private static readonly KeyValuePair<string, string>[] NoHeaders = [];

    private static readonly Gen<string> Method = Gen.Frequency(
        (8, Gen.OneOf("GET", "HEAD", "PUT", "POST", "PATCH", "DELETE")),
        (1, Gen.OneOf("OPTIONS", "TRACE", "PROPFIND", "get", "FOO", "M-SEARCH", "PRI")));

    private static readonly Gen<byte[]> SmallBody = Gen.Frequency(
        (3, Gen.Const(Array.Empty<byte>())),
        (2, Gen.Byte.Array[1, 512]),
        (1, Gen.Const(KnownContent.Layer)),
        (1, Gen.Const(KnownContent.Manifest)));

    /// <summary>Every kind of registry path with hostile names, digests, references and upload ids.</summary>
    private static readonly Gen<string> Target = Gen.OneOf(
        Gen.Select(Hostile.Name, Hostile.Digest, (name, digest) => $"/v2/{name}/blobs/{digest}"),
        Hostile.Name.Select(name => $"/v2/{name}/blobs/uploads/"),
        Gen.Select(Hostile.Name, Hostile.UploadId, (name, id) => $"/v2/{name}/blobs/uploads/{id}"),
        Gen.Select(Hostile.Name, Hostile.Reference, (name, reference) => $"/v2/{name}/manifests/{reference}"),
        Hostile.Name.Select(name => $"/v2/{name}/tags/list"),
        Gen.Select(Hostile.Name, Hostile.Digest, (name, digest) => $"/v2/{name}/referrers/{digest}"),
        Gen.OneOf(
            "/v2/", "/v2", "/v2/_catalog", "/v2/_catalog/", "//v2/", "/v2/../v2/", "/v2/%2e%2e/", "http://registry.test/v2/", "*", "/V2/",
            "/v2//fuzz/app/tags/list", "/v2/fuzz/app/tags/list/", "/v2/fuzz/app/tags/list/x", "/v2/fuzz/app/blobs/uploads//x",
            "/v2/fuzz/app/manifests/", "/v2/fuzz/app/blobs/", "/v2/fuzz/app/referrers/", "/v2/fuzz%2Fapp/tags/list", "/v2/fuzz/app/tags/list#x",
            "/v2/fuzz/app/manifests/v1?", "/v2/fuzz/app/manifests/v1?&&", "/v2/kept/base/blobs/uploads/../../../fuzz/app/tags/list"),
        Hostile.AnyText.Select(text => "/v2/" + Hostile.Escape(text)));

    /// <summary>Hostile paths under /v2/, with any method.</summary>
    public static readonly Gen<FuzzRequest> Paths = Gen.Select(Method, Target, SmallBody)
        .Select((method, target, body) => new FuzzRequest(Path, method, target, NoHeaders, method is "GET" or "HEAD" ? [] : body));

    private static readonly Gen<string> Range = Gen.OneOf(
        Gen.Select(Hostile.Number, Hostile.Number, (first, last) => $"bytes={first}-{last}"),
        Hostile.Number.Select(suffix => $"bytes=-{suffix}"),
        Hostile.Number.Select(first => $"bytes={first}-"),
        Gen.Int[2, 3000].Select(count => "bytes=" + string.Join(",", Enumerable.Range(0, count).Select(i => $"{i}-{i}"))),
        Gen.OneOf("bytes=", "bytes=-", "bytes=0-0,-1", "bytes=1-0", "items=0-1", "bytes 0-1", "bytes=0-1;", "bytes=a-b", "=0-1", "bytes==0-1", "bytes=0--1", "bytes=4095-4095", "bytes=4096-"),
        Hostile.HeaderText);

    private static readonly Gen<string> ContentRange = Gen.OneOf(
        Gen.Select(Hostile.Number, Hostile.Number, (first, last) => $"{first}-{last}"),
        Gen.Select(Hostile.Number, Hostile.Number, Hostile.Number, (first, last, total) => $"bytes {first}-{last}/{total}"),
        Gen.Select(Hostile.Number, Hostile.Number, (first, last) => $"bytes={first}-{last}"),
        Gen.OneOf("0-", "-0", "-", "0-0", "bytes */4096", "bytes=", "0-9223372036854775807", "9223372036854775807-9223372036854775807", "1-0", "0-0/0"),
        Hostile.HeaderText);

    private static readonly Gen<string> Basic = Gen.OneOf(
        Gen.OneOf(
            "alice:wrong", "nobody:x", "alice", ":", "", ":" + RegistryCloudPassword, "alice:" + RegistryCloudPassword + "x", "ALICE:" + RegistryCloudPassword,
            "alice:" + RegistryCloudPassword + ":extra", "alice\u0000:" + RegistryCloudPassword, new string('a', 20_000) + ":x", "caf\u00e9:x")
            .Select(pair => Convert.ToBase64String(Encoding.UTF8.GetBytes(pair))),
        Gen.Byte.Array[0, 64].Select(Convert.ToBase64String),
        Gen.OneOf("!!!", "YWxpY2U", "YWxpY2U6", "=", "====", "YWxp Y2U6eA==", "YWxpY2U6eA==="));

    private const string RegistryCloudPassword = Infrastructure.RegistryChain.Password;

    private static readonly Gen<string> Authorization = Gen.OneOf(
        Basic.Select(value => "Basic " + value),
        Basic.Select(value => "basic " + value),
        Gen.OneOf(
            "Basic", "Basic ", "Bearer", "Bearer ", "Bearer a.b.c", "Bearer eyJhbGciOiJub25lIn0.eyJzdWIiOiJhbGljZSJ9.", "Bearer ....",
            "Bearer eyJ" + new string('A', 10_000), "Digest username=\"alice\"", "Negotiate YII=", "NTLM", "", " ", "Basic\t" + Convert.ToBase64String("alice:x"u8),
            "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes("alice:" + RegistryCloudPassword)) + " trailing"),
        Hostile.HeaderText);

    private static readonly Gen<string> Accept = Hostile.MediaType.Array[1, 5].Select(types => string.Join(", ", types));

    private static readonly Gen<string> IfNoneMatch = Gen.OneOf(
        Hostile.Digest.Select(digest => $"\"{digest}\""),
        Gen.OneOf("*", "W/\"" + KnownContent.ManifestDigest + "\"", KnownContent.ManifestDigest, "\"", ",,,", "W/", string.Join(",", Enumerable.Repeat("\"x\"", 2000))),
        Hostile.HeaderText);

    /// <summary>The Content-Length sent: a lie about the body, or the truth (null).</summary>
    private static readonly Gen<string?> ContentLength = Gen.Frequency(
        (6, Gen.Const(static () => (string?)null)),
        (2, Hostile.Number.Select(number => (string?)number)),
        (1, Gen.OneOf<string?>("1 000", "0x10", "", "1,1", "5, 5")));

    /// <summary>A request a client would send, on the known image or a fresh upload session, that a hostile header then changes.</summary>
    private static readonly Gen<(string Method, string Target, byte[] Body)> HeaderBase = Gen.OneOf(
        Gen.OneOf("GET", "HEAD").Select(method => (method, $"/v2/{KnownContent.Repository}/blobs/{KnownContent.LayerDigest}", Array.Empty<byte>())),
        Gen.OneOf("GET", "HEAD").Select(method => (method, $"/v2/{KnownContent.Kept}/blobs/{KnownContent.ConfigDigest}", Array.Empty<byte>())),
        Gen.OneOf("GET", "HEAD").Select(method => (method, $"/v2/{KnownContent.Repository}/manifests/{KnownContent.Tag}", Array.Empty<byte>())),
        Gen.OneOf("GET", "HEAD").Select(method => (method, $"/v2/{KnownContent.Repository}/manifests/{KnownContent.ManifestDigest}", Array.Empty<byte>())),
        Gen.Byte.Array[0, 300].Select(body => ("PATCH", $"/v2/{KnownContent.Repository}/blobs/uploads/{FuzzRequest.Upload}", body)),
        Gen.Byte.Array[0, 300].Select(body => ("PUT", $"/v2/{KnownContent.Repository}/blobs/uploads/{FuzzRequest.Upload}?digest={Oci.Digest.Compute(body)}", body)),
        Gen.Byte.Array[0, 300].Select(body => ("POST", $"/v2/{KnownContent.Repository}/blobs/uploads/?digest={Oci.Digest.Compute(body)}", body)),
        Gen.Const(("PUT", $"/v2/{KnownContent.Repository}/manifests/fuzzed", KnownContent.Manifest)),
        Gen.Const(("GET", $"/v2/{KnownContent.Repository}/tags/list", Array.Empty<byte>())),
        Gen.Const(("GET", "/v2/_catalog", Array.Empty<byte>())),
        Gen.Const(("GET", "/v2/", Array.Empty<byte>())));

    private static readonly Gen<KeyValuePair<string, string>> HostileHeader = Gen.OneOf(
        Range.Select(value => Pair("Range", value)),
        ContentRange.Select(value => Pair("Content-Range", value)),
        Accept.Select(value => Pair("Accept", value)),
        Hostile.MediaType.Select(value => Pair("Content-Type", value)),
        IfNoneMatch.Select(value => Pair("If-None-Match", value)),
        Gen.OneOf("chunked", "gzip", "chunked, chunked", "identity", "x").Select(value => Pair("Transfer-Encoding", value)),
        Gen.Select(Gen.OneOf("X-Forwarded-For", "X-Request-Id", "Expect", "Host", "Cookie", "Docker-Distribution-API-Version", "Forwarded"), Hostile.HeaderText, Pair));

    /// <summary>Requests on the known image and fresh upload sessions, with hostile headers.</summary>
    public static readonly Gen<FuzzRequest> Headers = Gen.Select(
        HeaderBase,
        HostileHeader.Array[1, 3],
        Gen.Frequency((4, Gen.Const(static () => (string?)null)), (1, Authorization.Select(value => (string?)value))),
        ContentLength)
        .Select((request, headers, authorization, contentLength) => new FuzzRequest(
            Header,
            request.Method,
            request.Target,
            authorization is null ? headers : [.. headers, Pair("Authorization", authorization)],
            request.Body,
            authorization is null ? Credentials.User : Credentials.AsGenerated,
            contentLength));

    private static readonly Gen<string> QueryValue = Gen.OneOf(
        Hostile.Number,
        Hostile.Name,
        Hostile.Digest,
        Hostile.MediaType.Select(Hostile.EscapeQuery),
        Hostile.AnyText.Select(Hostile.EscapeQuery),
        Gen.OneOf("%", "%zz", "%FF", "a=b=c", "%26", "%3D", "+", "%2B", "%00"));

    private static string Q(string name, string value) => name + "=" + value;

    /// <summary>Every query parameter the API reads, with hostile values, repeated or alone.</summary>
    private static readonly Gen<(string Method, string Target, byte[] Body)> QueryRequest = Gen.OneOf(
        Gen.Select(Gen.OneOf(KnownContent.Repository, KnownContent.Kept, "public/pub"), QueryValue, QueryValue)
            .Select((name, n, last) => ("GET", $"/v2/{name}/tags/list?{Q("n", n)}&{Q("last", last)}", Array.Empty<byte>())),
        QueryValue.Select(n => ("GET", $"/v2/{KnownContent.Repository}/tags/list?{Q("n", n)}", Array.Empty<byte>())),
        Gen.Select(QueryValue, QueryValue).Select((n, last) => ("GET", $"/v2/_catalog?{Q("n", n)}&{Q("last", last)}", Array.Empty<byte>())),
        QueryValue.Select(n => ("GET", $"/v2/_catalog?{Q("n", n)}", Array.Empty<byte>())),
        Gen.Select(QueryValue, SmallBody).Select((digest, body) => ("POST", $"/v2/{KnownContent.Repository}/blobs/uploads/?{Q("digest", digest)}", body)),
        Gen.Select(QueryValue, QueryValue).Select((mount, from) => ("POST", $"/v2/fuzz/mounted/blobs/uploads/?{Q("mount", mount)}&{Q("from", from)}", Array.Empty<byte>())),
        Gen.Select(Hostile.Name, Gen.OneOf(KnownContent.LayerDigest, KnownContent.ConfigDigest))
            .Select((from, mount) => ("POST", $"/v2/fuzz/mounted/blobs/uploads/?{Q("mount", mount)}&{Q("from", from)}", Array.Empty<byte>())),
        QueryValue.Select(mount => ("POST", $"/v2/fuzz/mounted/blobs/uploads/?{Q("mount", mount)}", Array.Empty<byte>())),
        Gen.Select(QueryValue, SmallBody).Select((digest, body) => ("PUT", $"/v2/{KnownContent.Repository}/blobs/uploads/{FuzzRequest.Upload}?{Q("digest", digest)}", body)),
        QueryValue.Array[1, 4].Select(tags => ("PUT", $"/v2/{KnownContent.Repository}/manifests/{KnownContent.ManifestDigest}?{string.Join("&", tags.Select(tag => Q("tag", tag)))}", KnownContent.Manifest)),
        QueryValue.Select(type => ("GET", $"/v2/{KnownContent.Repository}/referrers/{KnownContent.ManifestDigest}?{Q("artifactType", type)}", Array.Empty<byte>())),
        Gen.Select(Gen.OneOf("n", "last", "digest", "mount", "from", "tag", "artifactType", "", "n[]", "N"), QueryValue).Array[2, 6]
            .Select(pairs => ("GET", $"/v2/{KnownContent.Repository}/tags/list?{string.Join("&", pairs.Select(pair => Q(pair.Item1, pair.Item2)))}", Array.Empty<byte>())),
        Gen.OneOf("?", "?&", "?=", "?n", "?n=", "?&&&n=1", "?n=1&n=2", "?n=%", "?%zz=1", "?n=1#x", "?" + new string('n', 7000) + "=1")
            .Select(query => ("GET", $"/v2/{KnownContent.Repository}/tags/list{query}", Array.Empty<byte>())));

    /// <summary>Requests whose query parameters are hostile.</summary>
    public static readonly Gen<FuzzRequest> Queries = QueryRequest.Select(request => new FuzzRequest(Query, request.Method, request.Target, NoHeaders, request.Body));

    /// <summary>The reference a manifest is pushed under: a tag, its own digest (sha256 or sha512), or a digest it does not have.</summary>
    private static readonly Gen<Func<byte[], string>> ManifestReference = Gen.OneOf<Func<byte[], string>>(
        _ => "fuzzed",
        body => Oci.Digest.Compute(body, Oci.Digest.Sha256).ToString(),
        body => Oci.Digest.Compute(body, Oci.Digest.Sha512).ToString(),
        _ => KnownContent.ManifestDigest);

    private static readonly Gen<string?> ManifestContentType = Gen.Frequency(
        (3, Gen.OneOf<string?>(MediaTypes.OciImageManifest, MediaTypes.DockerManifest, MediaTypes.OciImageIndex, MediaTypes.DockerManifestList)),
        (1, Gen.Const(static () => (string?)null)),
        (2, Hostile.MediaType.Select(type => (string?)type)));

    /// <summary>Manifest PUTs with hostile bodies.</summary>
    public static readonly Gen<FuzzRequest> Manifests = Gen.Select(ManifestBodies.Body, ManifestReference, ManifestContentType, Gen.OneOf(KnownContent.Repository, "fuzz/other"))
        .Select((body, reference, contentType, repository) => new FuzzRequest(
            Manifest,
            "PUT",
            $"/v2/{repository}/manifests/{reference(body)}",
            contentType is null ? NoHeaders : [Pair("Content-Type", contentType)],
            body));

    /// <summary>The area a request is drawn from, equally often.</summary>
    public static readonly Gen<FuzzRequest> Any = Gen.OneOf(Paths, Headers, Queries, Manifests);

    private static KeyValuePair<string, string> Pair(string name, string value) => new(name, value);
}
