using RegistryCloud.Gateway.Debug;

namespace RegistryCloud.Gateway.Tests.Debug;

/// <summary>Several processes' Prometheus text in one exposition, labelled by where each sample came from.</summary>
public sealed class PrometheusMergeTests
{
    private const string Gateway = """
        # HELP requests_total Requests.
        # TYPE requests_total counter
        requests_total{route="/v2/"} 3
        # TYPE up gauge
        up 1
        """;

    private const string Blobs = """
        # HELP requests_total Requests.
        # TYPE requests_total counter
        requests_total{route="/v2/{name}/blobs/{digest}"} 7
        # HELP upload_bytes Bytes.
        # TYPE upload_bytes histogram
        upload_bytes_bucket{le="+Inf"} 2
        upload_bytes_sum 2048
        upload_bytes_count 2
        # EOF
        """;

    [Fact]
    public void Samples_of_one_family_from_two_processes_are_written_together_under_one_HELP_and_TYPE()
    {
        var merge = new PrometheusMerge();
        merge.Add(Gateway, [new("service", "gateway")]);
        merge.Add(Blobs, [new("service", "blobservice"), new("instance", "localhost:1234")]);

        var lines = merge.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);

        Assert.Equal(
        [
            "# HELP requests_total Requests.",
            "# TYPE requests_total counter",
            "requests_total{route=\"/v2/\",service=\"gateway\"} 3",
            "requests_total{route=\"/v2/{name}/blobs/{digest}\",service=\"blobservice\",instance=\"localhost:1234\"} 7",
            "# TYPE up gauge",
            "up{service=\"gateway\"} 1",
            "# HELP upload_bytes Bytes.",
            "# TYPE upload_bytes histogram",
            "upload_bytes_bucket{le=\"+Inf\",service=\"blobservice\",instance=\"localhost:1234\"} 2",
            "upload_bytes_sum{service=\"blobservice\",instance=\"localhost:1234\"} 2048",
            "upload_bytes_count{service=\"blobservice\",instance=\"localhost:1234\"} 2",
        ], lines);
    }

    [Fact]
    public void A_label_value_holding_a_brace_or_an_escaped_quote_keeps_the_added_labels_outside_it()
    {
        var merge = new PrometheusMerge();
        merge.Add("# TYPE odd gauge\nodd{path=\"a}b\",note=\"say \\\"hi\\\"\"} 1 1700000000\nempty{} 2\n", [new("service", "x\"y")]);

        var lines = merge.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);

        Assert.Equal("odd{path=\"a}b\",note=\"say \\\"hi\\\"\",service=\"x\\\"y\"} 1 1700000000", lines[1]);
        Assert.Equal("empty{service=\"x\\\"y\"} 2", lines[2]);
    }

    [Fact]
    public void Comments_come_first_on_lines_of_their_own()
    {
        var merge = new PrometheusMerge();
        merge.Add("up 1\n", [new("service", "gateway")]);
        merge.Comment("registrycloud: blobservice localhost:1: not scraped (refused\nconnection)");

        Assert.Equal("# registrycloud: blobservice localhost:1: not scraped (refused connection)\nup{service=\"gateway\"} 1\n", merge.ToString());
    }
}
