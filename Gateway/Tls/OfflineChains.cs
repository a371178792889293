using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace RegistryCloud.Gateway.Tls;

/// <summary>
/// How every certificate chain in the gateway is built: to configured roots only, from the
/// certificates the peer sent, and never from the network. A certificate's AIA <c>caIssuers</c>
/// and CRL distribution point URLs are written by whoever made it — a token or client certificate
/// naming an internal address would otherwise make the gateway send requests there, and wait on
/// them, before it knows whether the presenter is trusted. Without downloads no CRL or OCSP answer
/// could be had either, so revocation is not checked (<c>NoCheck</c>, as Distribution's Go verifier
/// does; <c>Offline</c> would only consult a machine-wide cache this gateway never fills).
/// </summary>
internal static class OfflineChains
{
    /// <summary>The policy for chains to <paramref name="roots"/>, optionally for one extended key usage.</summary>
    public static X509ChainPolicy Policy(X509Certificate2Collection roots, Oid? usage = null)
    {
        var policy = new X509ChainPolicy
        {
            TrustMode = X509ChainTrustMode.CustomRootTrust,
            RevocationMode = X509RevocationMode.NoCheck,
            DisableCertificateDownloads = true,
        };
        policy.CustomTrustStore.AddRange(roots);
        if (usage is not null)
        {
            policy.ApplicationPolicy.Add(usage);
        }

        return policy;
    }

    /// <summary>Whether <paramref name="leaf"/> chains to the policy's roots through what its extra store holds.</summary>
    public static bool Builds(X509Certificate2 leaf, X509ChainPolicy policy)
    {
        using var chain = new X509Chain { ChainPolicy = policy };
        return chain.Build(leaf);
    }
}
