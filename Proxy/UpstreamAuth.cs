using System.Collections.Concurrent;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using RegistryCloud.Oci;

namespace RegistryCloud.Proxy;

/// <summary>
/// Credentials for upstream requests: Basic from the configuration, or bearer tokens from the
/// token endpoint an upstream's <c>WWW-Authenticate</c> challenge names (Docker's token
/// authentication spec), cached per upstream and scope until shortly before they expire.
/// </summary>
internal sealed class UpstreamAuth(TimeProvider time)
{
    /// <summary>A token response is a small JSON document; anything larger is not one.</summary>
    private const int MaxTokenResponseSize = 1024 * 1024;

    // The spec's default when a token response names no lifetime.
    private static readonly TimeSpan DefaultTokenLifetime = TimeSpan.FromSeconds(60);

    private readonly ConcurrentDictionary<(Uri Upstream, string Scope), (AuthenticationHeaderValue Value, DateTimeOffset Expires)> _tokens = new();
    private readonly ConcurrentDictionary<Uri, bool> _basic = new();

    /// <summary>What an earlier challenge taught about this upstream and scope, or null to go anonymous.</summary>
    public AuthenticationHeaderValue? Cached(Upstream upstream, string scope)
    {
        if (_tokens.TryGetValue((upstream.BaseUri, scope), out var token))
        {
            if (token.Expires > time.GetUtcNow())
            {
                return token.Value;
            }

            _tokens.TryRemove(new KeyValuePair<(Uri, string), (AuthenticationHeaderValue, DateTimeOffset)>((upstream.BaseUri, scope), token));
        }

        return _basic.ContainsKey(upstream.BaseUri) ? Basic(upstream) : null;
    }

    /// <summary>
    /// Answers a 401's challenge: the credentials to retry with, or null when there are none to
    /// offer (the caller then reports the refusal).
    /// </summary>
    public async Task<AuthenticationHeaderValue?> AnswerAsync(
        HttpClient http, Upstream upstream, string scope, HttpResponseMessage refused, TimeSpan timeout, CancellationToken cancellationToken)
    {
        foreach (var challenge in refused.Headers.WwwAuthenticate)
        {
            if (string.Equals(challenge.Scheme, "Bearer", StringComparison.OrdinalIgnoreCase))
            {
                var parameters = ChallengeParameters.Read(challenge.Parameter);
                if (!parameters.TryGetValue("realm", out var realm))
                {
                    throw new UpstreamException(UpstreamFailure.Invalid, $"{upstream.Name}: the bearer challenge names no realm");
                }

                var token = await FetchTokenAsync(http, upstream, realm, parameters.GetValueOrDefault("service"), scope, timeout, cancellationToken);
                return token;
            }

            if (string.Equals(challenge.Scheme, "Basic", StringComparison.OrdinalIgnoreCase) && upstream.HasCredentials)
            {
                _basic[upstream.BaseUri] = true;
                return Basic(upstream);
            }
        }

        return null;
    }

    private async Task<AuthenticationHeaderValue> FetchTokenAsync(
        HttpClient http, Upstream upstream, string realm, string? service, string scope, TimeSpan timeout, CancellationToken cancellationToken)
    {
        if (!Uri.TryCreate(realm, UriKind.Absolute, out var realmUri) || (realmUri.Scheme != Uri.UriSchemeHttps && realmUri.Scheme != Uri.UriSchemeHttp))
        {
            throw new UpstreamException(UpstreamFailure.Invalid, $"{upstream.Name}: the token realm '{realm}' is not an http(s) URL");
        }

        var query = new StringBuilder(realmUri.Query.Length > 1 ? realmUri.Query[1..] + "&" : string.Empty);
        if (service is not null)
        {
            query.Append("service=").Append(Uri.EscapeDataString(service)).Append('&');
        }

        query.Append("scope=").Append(Uri.EscapeDataString(scope));
        var uri = new UriBuilder(realmUri) { Query = query.ToString() }.Uri;
        using var request = new HttpRequestMessage(HttpMethod.Get, uri);
        if (upstream.HasCredentials)
        {
            request.Headers.Authorization = Basic(upstream);
        }

        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        byte[] body;
        HttpResponseMessage response;
        try
        {
            response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, deadline.Token);
            using (response)
            {
                if (!response.IsSuccessStatusCode)
                {
                    throw new UpstreamException(
                        (int)response.StatusCode is 401 or 403 ? UpstreamFailure.Denied : UpstreamFailure.Unavailable,
                        $"{upstream.Name}: the token endpoint answered {(int)response.StatusCode}");
                }

                body = await UpstreamClient.ReadLimitedAsync(response, MaxTokenResponseSize, "token response", upstream, deadline.Token);
            }
        }
        catch (Exception e) when (e is HttpRequestException or OperationCanceledException && !cancellationToken.IsCancellationRequested)
        {
            throw new UpstreamException(UpstreamFailure.Unavailable, $"{upstream.Name}: the token endpoint did not answer ({e.Message})", inner: e);
        }

        var (token, lifetime) = ParseToken(body, upstream);
        var value = new AuthenticationHeaderValue("Bearer", token);

        // A token used right at its expiry would be refused on the wire: retire it a little early.
        var expires = time.GetUtcNow() + lifetime - TimeSpan.FromSeconds(Math.Min(10, lifetime.TotalSeconds / 10));
        _tokens[(upstream.BaseUri, scope)] = (value, expires);
        return value;
    }

    private static (string Token, TimeSpan Lifetime) ParseToken(byte[] body, Upstream upstream)
    {
        try
        {
            using var document = JsonDocument.Parse(body);
            var root = document.RootElement;
            var token = root.TryGetProperty("token", out var t) && t.ValueKind == JsonValueKind.String ? t.GetString()
                : root.TryGetProperty("access_token", out var a) && a.ValueKind == JsonValueKind.String ? a.GetString()
                : null;
            if (string.IsNullOrEmpty(token))
            {
                throw new UpstreamException(UpstreamFailure.Invalid, $"{upstream.Name}: the token response holds no token");
            }

            var lifetime = root.TryGetProperty("expires_in", out var e) && e.TryGetInt32(out var seconds) && seconds > 0
                ? TimeSpan.FromSeconds(seconds)
                : DefaultTokenLifetime;
            return (token, lifetime);
        }
        catch (JsonException e)
        {
            throw new UpstreamException(UpstreamFailure.Invalid, $"{upstream.Name}: the token response is not JSON", inner: e);
        }
    }

    private static AuthenticationHeaderValue Basic(Upstream upstream) =>
        new("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{upstream.Username}:{upstream.Password}")));
}
