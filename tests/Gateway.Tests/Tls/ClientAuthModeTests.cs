using Microsoft.AspNetCore.Server.Kestrel.Https;
using RegistryCloud.Gateway.Tls;

namespace RegistryCloud.Gateway.Tests.Tls;

/// <summary><c>http.tls.clientauth</c>, Go's four modes, as Kestrel settings.</summary>
public sealed class ClientAuthModeTests
{
    [Theory]
    [InlineData("require-and-verify-client-cert", ClientCertificateMode.RequireCertificate, true)]
    [InlineData("verify-client-cert-if-given", ClientCertificateMode.AllowCertificate, true)]
    [InlineData("require-any-client-cert", ClientCertificateMode.RequireCertificate, false)]
    [InlineData("request-client-cert", ClientCertificateMode.AllowCertificate, false)]
    public void Each_clientauth_mode_maps_to_a_kestrel_mode_and_a_verification_rule(string setting, ClientCertificateMode mode, bool verify)
    {
        Assert.Equal((mode, verify), TlsSetup.ClientAuth(setting));
    }
}
