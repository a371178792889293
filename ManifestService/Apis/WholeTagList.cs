using System.Text.Json;
using RegistryCloud.ManifestService.Listings;
using RegistryCloud.ManifestService.Tags;

namespace RegistryCloud.ManifestService.Apis;

/// <summary>
/// A tags list without <c>n</c>: written as the same JSON as <see cref="TagList"/> (and with the
/// same encoder, the serializer's default), <see cref="PieceSize"/> names at a time, each piece
/// read after the last name written, so neither a long list nor its JSON is ever held whole; a
/// list of one piece is one write. A repository
/// deleted midway ends the list where it was; a failure midway cuts the response (the status is
/// out), so the client sees broken JSON rather than a short list that looks whole.
/// </summary>
internal sealed class WholeTagList(string repository, IReadOnlyList<string> firstPage, TagStore tags) : IResult
{
    /// <summary>
    /// Names read at a time: each read also reads the index's two stamp files, so pieces are
    /// large, and a piece's names and JSON (tens of KiB) stay small.
    /// </summary>
    public const int PieceSize = 5000;

    public async Task ExecuteAsync(HttpContext httpContext)
    {
        var response = httpContext.Response;
        var cancellationToken = httpContext.RequestAborted;
        response.ContentType = "application/json; charset=utf-8";
        var body = response.BodyWriter;
        using var json = new Utf8JsonWriter(body);
        json.WriteStartObject();
        json.WriteString("name", repository);
        json.WriteStartArray("tags");

        // Each piece holds one name more than it writes: the sign that more follow.
        var page = firstPage;
        while (true)
        {
            var count = Math.Min(page.Count, PieceSize);
            Write(json, page, 0, count);
            if (page.Count <= PieceSize)
            {
                break;
            }

            await FlushAsync(json, body, cancellationToken);
            var after = page[count - 1];
            if (await tags.IndexedPageAsync(repository, after, PieceSize + 1, cancellationToken) is { } next)
            {
                page = next;
                continue;
            }

            // No index to read from: the rest from one listing of the storage (a repository deleted
            // meanwhile ends the list).
            var rest = SortedNames.After(await tags.ListAsync(repository, cancellationToken) ?? [], after, int.MaxValue);
            for (var start = 0; start < rest.Count; start += PieceSize)
            {
                Write(json, rest, start, Math.Min(rest.Count, start + PieceSize));
                await FlushAsync(json, body, cancellationToken);
            }

            break;
        }

        json.WriteEndArray();
        json.WriteEndObject();
        await FlushAsync(json, body, cancellationToken);
    }

    private static void Write(Utf8JsonWriter json, IReadOnlyList<string> names, int from, int to)
    {
        for (var i = from; i < to; i++)
        {
            json.WriteStringValue(names[i]);
        }
    }

    private static async Task FlushAsync(Utf8JsonWriter json, System.IO.Pipelines.PipeWriter body, CancellationToken cancellationToken)
    {
        json.Flush();
        await body.FlushAsync(cancellationToken);
    }
}
